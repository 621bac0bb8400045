from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "wealthdesk.dashboards"
    label = "dashboards"
    verbose_name = _("经营看板")

    def ready(self) -> None:
        from . import nav  # noqa: F401
