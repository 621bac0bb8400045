from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="own"),
    path("<int:unit_id>/", views.DashboardView.as_view(), name="unit"),
    path("<int:unit_id>/export/", views.DashboardView.as_view(export=True), name="export"),
]
