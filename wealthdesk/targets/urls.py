from django.urls import path

from . import views

app_name = "targets"
urlpatterns = [
    path("", views.TargetListView.as_view(), name="list"),
    path("plan/", views.PlanView.as_view(), name="plan"),
    path("<int:pk>/", views.TargetDetailView.as_view(), name="detail"),
    path("indicators/", views.IndicatorListView.as_view(), name="indicators"),
    path("indicators/new/", views.IndicatorEditView.as_view(), name="indicator_create"),
    path("indicators/<int:pk>/", views.IndicatorEditView.as_view(), name="indicator_edit"),
    path("sheets/", views.SheetListView.as_view(), name="sheets"),
    path("sheets/<int:pk>/", views.SheetDetailView.as_view(), name="sheet"),
    path("sheets/<int:pk>/export/", views.SheetExportView.as_view(), name="sheet_export"),
    path("sheets/<int:pk>/staff/<int:user_id>/", views.StaffSheetView.as_view(), name="staff_sheet"),
    path("sheets/<int:pk>/staff/<int:user_id>/records/<slug:key>/", views.RecordsView.as_view(), name="records"),
]
