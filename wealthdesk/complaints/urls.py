from django.urls import path

from . import views

app_name = "complaints"
urlpatterns = [
    path("", views.ComplaintListView.as_view(), name="list"),
    path("new/", views.ComplaintCreateView.as_view(), name="create"),
    path("<int:pk>/", views.ComplaintDetailView.as_view(), name="detail"),
    path("<int:pk>/reveal/", views.ComplaintRevealView.as_view(), name="reveal"),
    path("<int:pk>/log/", views.ComplaintActionView.as_view(action="log"), name="log"),
    path("<int:pk>/extend/", views.ComplaintActionView.as_view(action="extend"), name="extend"),
    path("<int:pk>/escalate/", views.ComplaintActionView.as_view(action="escalate"), name="escalate"),
    path("<int:pk>/assign/", views.ComplaintActionView.as_view(action="assign"), name="assign"),
    path("<int:pk>/close/", views.ComplaintActionView.as_view(action="close"), name="close"),
    path("stats/daily/", views.StatsView.as_view(kind="daily"), name="stats_daily"),
    path("stats/monthly/", views.StatsView.as_view(kind="monthly"), name="stats_monthly"),
]
