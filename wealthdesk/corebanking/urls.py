from django.urls import path

from . import views

app_name = "corebanking"
urlpatterns = [
    path("imports/", views.ImportListView.as_view(), name="imports"),
    path("imports/upload/", views.ImportUploadView.as_view(), name="upload"),
    path("imports/template/<str:kind>.<str:fmt>", views.ImportTemplateView.as_view(), name="template"),
    path("imports/<int:pk>/", views.ImportDetailView.as_view(), name="detail"),
    path("imports/<int:pk>/rejects/", views.ImportRejectsView.as_view(), name="rejects"),
    path("imports/<int:pk>/rollback/", views.ImportRollbackView.as_view(), name="rollback"),
    path("imports/<int:pk>/followup/", views.ImportFollowupView.as_view(), name="followup"),
]
