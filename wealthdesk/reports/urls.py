from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.ReportListView.as_view(), name="list"),
    path("new/", views.ReportCreateView.as_view(), name="create"),
    path("library/", views.LibraryView.as_view(), name="library"),
    path("suggestions/", views.SuggestionCreateView.as_view(), name="suggest"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="detail"),
    path("<int:pk>/export/", views.ReportExportView.as_view(), name="export"),
    path("<int:pk>/pdf/", views.ReportPdfView.as_view(), name="pdf"),
]
