from django.urls import path

from . import views

app_name = "alerts"
urlpatterns = [
    path("", views.AlertListView.as_view(), name="list"),
    path("mine/", views.MyAlertListView.as_view(), name="mine"),
    path("export/", views.AlertExportView.as_view(), name="export"),
    path("<int:pk>/", views.AlertDetailView.as_view(), name="detail"),
    path("<int:pk>/<slug:action>/", views.AlertActionView.as_view(), name="action"),
    path("rules/", views.RuleListView.as_view(), name="rules"),
    path("rules/<int:pk>/edit/", views.RuleEditView.as_view(), name="rule_edit"),
    path("maturities/", views.MaturityListView.as_view(), name="maturities"),
]
