"""URLs: each local app's ``urls.py`` is mounted at ``/<app label>/``; each app's ``api.py`` registers on the
shared v1 router mounted at ``/api/v1/``."""
import importlib

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.module_loading import autodiscover_modules
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from wealthdesk.core.api import router
from wealthdesk.core.views import HomeView
from wealthdesk.security.api import TokenView
from wealthdesk.staff.views import LoginView

autodiscover_modules("api")

handler400 = "wealthdesk.core.views.bad_request"

admin.site.site_header = "WealthDesk 理财中心运营管理系统"
admin.site.site_title = "WealthDesk"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("api/v1/auth/token/", TokenView.as_view(), name="api-token"),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include(router.urls)),
]

for app in settings.LOCAL_APPS:
    try:
        module = importlib.import_module(f"{app}.urls")
    except ModuleNotFoundError as exc:
        if exc.name != f"{app}.urls":
            raise
        continue
    label = app.rsplit(".", 1)[-1]
    urlpatterns.append(path(f"{label}/", include(module)))
