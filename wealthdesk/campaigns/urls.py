from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("", views.CampaignListView.as_view(), name="list"),
    path("new/", views.CampaignCreateView.as_view(), name="create"),
    path("quota/", views.QuotaView.as_view(), name="quota"),
    path("<int:pk>/", views.CampaignDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.CampaignEditView.as_view(), name="edit"),
    path("<int:pk>/do/<slug:action>/", views.CampaignActionView.as_view(), name="action"),
    path("<int:pk>/feedback/", views.CampaignFeedbackView.as_view(), name="feedback"),
    path("<int:pk>/evaluate/", views.CampaignEvaluateView.as_view(), name="evaluate"),
    path("<int:pk>/members/", views.MemberListView.as_view(), name="members"),
    path("<int:pk>/members/export/", views.MemberExportView.as_view(), name="members_export"),
    path("members/<int:pk>/call/", views.MemberCallView.as_view(), name="call"),
    path("members/<int:pk>/invite/", views.MemberInviteView.as_view(), name="invite"),
]
