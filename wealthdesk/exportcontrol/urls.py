from django.urls import path

from . import views

app_name = "exportcontrol"
urlpatterns = [
    path("", views.MyRequestsView.as_view(), name="mine"),
    path("new/", views.NewRequestView.as_view(), name="new"),
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("<int:pk>/", views.DetailView.as_view(), name="detail"),
    path("<int:pk>/approve/", views.DecideView.as_view(), {"decision": "approve"}, name="approve"),
    path("<int:pk>/refuse/", views.DecideView.as_view(), {"decision": "refuse"}, name="refuse"),
    path("<int:pk>/download/", views.DownloadView.as_view(), name="download"),
]
