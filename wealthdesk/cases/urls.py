from django.urls import path

from . import bulletin_views, joint_views, market_views, views

app_name = "cases"
urlpatterns = [
    path("", views.CaseListView.as_view(), name="cases"),
    path("new/", views.CaseCreateView.as_view(), name="case_create"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="case"),
    path("<int:pk>/<slug:step>/", views.CaseStepView.as_view(), name="case_step"),
    path("joint/", joint_views.JointListView.as_view(), name="joint_list"),
    path("joint/new/", joint_views.JointCreateView.as_view(), name="joint_create"),
    path("joint/<int:pk>/", joint_views.JointDetailView.as_view(), name="joint"),
    path("joint/<int:pk>/plan/", joint_views.PlanItemAddView.as_view(), name="plan_add"),
    path("joint/<int:pk>/plan/<int:item_pk>/", joint_views.PlanOutcomeView.as_view(), name="plan_outcome"),
    path("bulletins/", bulletin_views.IssueListView.as_view(), name="issues"),
    path("bulletins/new/", bulletin_views.IssueCreateView.as_view(), name="issue_create"),
    path("bulletins/<int:pk>/", bulletin_views.IssueDetailView.as_view(), name="issue"),
    path("bulletins/<int:pk>/publish/", bulletin_views.IssuePublishView.as_view(), name="issue_publish"),
    path("bulletins/<int:pk>/recipients/", bulletin_views.RecipientsView.as_view(), name="recipients"),
    path("market/", market_views.MarketListView.as_view(), name="markets"),
    path("market/<int:pk>/", market_views.MarketDetailView.as_view(), name="market"),
]
