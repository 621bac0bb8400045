from django.urls import path

from . import views

app_name = "analyses"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("<str:kind>/", views.AnalysisView.as_view(), name="detail"),
    path("<str:kind>/recompute/", views.RecomputeView.as_view(), name="recompute"),
    path("<str:kind>/export/", views.ExportView.as_view(), name="export"),
]
