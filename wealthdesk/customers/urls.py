from django.urls import path

from . import views

app_name = "customers"
urlpatterns = [
    path("", views.CustomerListView.as_view(), name="list"),
    path("new/", views.CustomerCreateView.as_view(), name="create"),
    path("pick/", views.CustomerPickView.as_view(), name="pick"),
    path("<int:pk>/", views.CustomerDetailView.as_view(), name="detail"),
    path("reassign/", views.BulkReassignView.as_view(), name="reassign-bulk"),
    path("<int:pk>/edit/", views.CustomerEditView.as_view(), name="edit"),
    path("<int:pk>/reassign/", views.CustomerReassignView.as_view(), name="reassign"),
    path("<int:pk>/reveal/", views.CustomerRevealView.as_view(), name="reveal"),
]
