from django.urls import path

from . import views

app_name = "experts"
urlpatterns = [
    path("", views.PoolListView.as_view(), name="pool"),
    path("new/", views.PoolCreateView.as_view(), name="member_create"),
    path("<int:pk>/", views.PoolDetailView.as_view(), name="member"),
    path("<int:pk>/slots/<int:slot_pk>/remove/", views.SlotRemoveView.as_view(), name="slot_remove"),
    path("<int:pk>/<slug:step>/", views.PoolStepView.as_view(), name="member_step"),
    path("mine/", views.MyWorkView.as_view(), name="mine"),
    path("consultations/", views.ConsultationListView.as_view(), name="consultations"),
    path("consultations/new/", views.ConsultationCreateView.as_view(), name="consultation_create"),
    path("consultations/<int:pk>/", views.ConsultationDetailView.as_view(), name="consultation"),
    path("consultations/<int:pk>/files/<int:att_pk>/", views.AttachmentView.as_view(), name="attachment"),
    path("consultations/<int:pk>/<slug:step>/", views.ConsultationStepView.as_view(), name="consultation_step"),
]
