from django.urls import path

from . import views

app_name = "worklogs"
urlpatterns = [
    path("workbench/", views.WorkbenchView.as_view(), name="workbench"),
    path("workbench/contacts/", views.WorkbenchContactsView.as_view(), name="workbench_contacts"),
    path("team/", views.HeadView.as_view(), name="head"),
    path("logs/", views.LogListView.as_view(), name="logs"),
    path("logs/today/", views.LogTodayView.as_view(), name="today"),
    path("logs/export/", views.LogExportView.as_view(), name="export"),
    path("logs/<int:pk>/", views.LogDetailView.as_view(), name="log"),
    path("logs/<int:pk>/review/", views.LogReviewView.as_view(), name="review"),
    path("debriefs/", views.DebriefListView.as_view(), name="debriefs"),
    path("debriefs/new/", views.DebriefCreateView.as_view(), name="debrief_create"),
    path("missing/", views.MissingView.as_view(), name="missing"),
    path("summary/", views.SummaryView.as_view(), name="summary"),
    path("help/", views.HelpRequestListView.as_view(), name="help"),
    path("help/<int:pk>/", views.HelpRequestUpdateView.as_view(), name="help_update"),
]
