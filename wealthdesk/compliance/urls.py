from django.urls import path

from . import views

app_name = "compliance"
urlpatterns = [
    path("", views.MonitorView.as_view(), name="monitor"),
    path("export/", views.MonitorExportView.as_view(), name="export"),
    path("<int:unit_id>/", views.MonitorView.as_view(), name="unit"),
    path("<int:unit_id>/export/", views.MonitorExportView.as_view(), name="unit_export"),
]
