from django.urls import path

from . import views

app_name = "archive"

urlpatterns = [
    path("", views.DocumentListView.as_view(), name="document-list"),
    path("upload/", views.DocumentUploadView.as_view(), name="document-upload"),
    path("documents/<int:pk>/", views.DocumentDetailView.as_view(), name="document-detail"),
    path("documents/<int:pk>/download/", views.DocumentDownloadView.as_view(), name="document-download"),
    path("paper/", views.PaperFileListView.as_view(), name="paper-list"),
    path("paper/new/", views.PaperFileCreateView.as_view(), name="paper-create"),
    path("paper/<int:pk>/", views.PaperFileDetailView.as_view(), name="paper-detail"),
    path("departures/", views.DeparturesView.as_view(), name="departures"),
]
