from django.urls import path

from .views import cards, opinions, reports, surveys

app_name = "voice"
urlpatterns = [
    path("", cards.CardListView.as_view(), name="cards"),
    path("cards/new/", cards.CardCreateView.as_view(), name="card-create"),
    path("cards/<int:pk>/", cards.CardDetailView.as_view(), name="card-detail"),
    path("cards/<int:pk>/questions/", cards.QuestionAddView.as_view(), name="question-add"),
    path("questions/", cards.QuestionListView.as_view(), name="questions"),
    path("questions/<int:pk>/answer/", cards.QuestionAnswerView.as_view(), name="question-answer"),
    path("questions/<int:pk>/told/", cards.QuestionTellView.as_view(), name="question-told"),
    path("summaries/", reports.ReportListView.as_view(kind="needs"), name="needs-reports"),
    path("summaries/build/", reports.ReportBuildView.as_view(kind="needs"), name="needs-build"),
    path("summaries/<int:pk>/", reports.ReportDetailView.as_view(kind="needs"), name="needs-report"),
    path("summaries/<int:pk>/export/", reports.ReportExportView.as_view(kind="needs"), name="needs-export"),
    path("surveys/", surveys.SurveyListView.as_view(), name="surveys"),
    path("surveys/new/", surveys.SurveyCreateView.as_view(), name="survey-create"),
    path("surveys/<int:pk>/", surveys.SurveyDetailView.as_view(), name="survey-detail"),
    path("surveys/<int:pk>/respond/", surveys.ResponseCreateView.as_view(), name="survey-respond"),
    path("surveys/<int:pk>/responses/", surveys.ResponseListView.as_view(), name="survey-responses"),
    path("survey-reports/", reports.ReportListView.as_view(kind="surveys"), name="surveys-reports"),
    path("survey-reports/build/", reports.ReportBuildView.as_view(kind="surveys"), name="surveys-build"),
    path("survey-reports/<int:pk>/", reports.ReportDetailView.as_view(kind="surveys"), name="surveys-report"),
    path("survey-reports/<int:pk>/export/", reports.ReportExportView.as_view(kind="surveys"), name="surveys-export"),
    path("opinions/", opinions.OpinionInboxView.as_view(), name="opinions"),
    path("opinions/<int:pk>/", opinions.OpinionDetailView.as_view(), name="opinion-detail"),
    path("opinions/<int:pk>/reveal/", opinions.OpinionRevealView.as_view(), name="opinion-reveal"),
    path("o/<slug:code>/", opinions.PublicOpinionView.as_view(), name="public-opinion"),
    path("o/<slug:code>/qr/", opinions.OpinionQrView.as_view(), name="opinion-qr"),
]
