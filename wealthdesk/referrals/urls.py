from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("", views.ReferralListView.as_view(), name="list"),
    path("new/", views.ReferralCreateView.as_view(), name="create"),
    path("lookup/", views.ReferralLookupView.as_view(), name="lookup"),
    path("stats/", views.StatsView.as_view(), name="stats"),
    path("stats/export/", views.StatsExportView.as_view(), name="stats_export"),
    path("rule/", views.RuleView.as_view(), name="rule"),
    path("<int:pk>/", views.ReferralDetailView.as_view(), name="detail"),
    path("<int:pk>/reveal-mobile/", views.ProspectMobileRevealView.as_view(), name="reveal_mobile"),
    path("<int:pk>/<slug:action>/", views.ReferralActionView.as_view(), name="action"),
]
