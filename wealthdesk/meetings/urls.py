from django.urls import path

from . import problem_views, views

app_name = "meetings"
urlpatterns = [
    path("", views.MeetingListView.as_view(), name="meetings"),
    path("new/", views.MeetingCreateView.as_view(), name="meeting_create"),
    path("<int:pk>/", views.MeetingDetailView.as_view(), name="meeting"),
    path("<int:pk>/print/", views.MeetingPrintView.as_view(), name="meeting_print"),
    path("<int:pk>/export/", views.MeetingExportView.as_view(), name="meeting_export"),
    path("<int:pk>/pdf/", views.MeetingPdfView.as_view(), name="meeting_pdf"),
    path("compliance/", views.ComplianceView.as_view(), name="compliance"),
    path("huddles/", views.HuddleListView.as_view(), name="huddles"),
    path("huddles/board/", views.HuddleBoardView.as_view(), name="huddle_board"),
    path("huddles/open/", views.HuddleOpenView.as_view(), name="huddle_open"),
    path("huddles/new/", views.HuddleRecordView.as_view(), name="huddle_record"),
    path("huddles/<int:pk>/", views.HuddleDetailView.as_view(), name="huddle"),
    path("actions/", views.ActionListView.as_view(), name="actions"),
    path("actions/<int:pk>/done/", views.ActionDoneView.as_view(), name="action_done"),
    path("problems/", problem_views.ProblemListView.as_view(), name="problems"),
    path("problems/new/", problem_views.ProblemCreateView.as_view(), name="problem_create"),
    path("problems/inbox/", problem_views.InboxView.as_view(), name="inbox"),
    path("problems/report/", problem_views.ReportView.as_view(), name="problem_report"),
    path("problems/collect/<int:pk>/", problem_views.CollectHelpView.as_view(), name="collect_help"),
    path("problems/<int:pk>/", problem_views.ProblemDetailView.as_view(), name="problem"),
    path("problems/<int:pk>/<slug:step>/", problem_views.ProblemStepView.as_view(), name="problem_step"),
]
