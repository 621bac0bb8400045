from django.urls import path

from . import views

app_name = "contacts"
urlpatterns = [
    path("", views.ContactListView.as_view(), name="list"),
    path("new/", views.ContactCreateView.as_view(), name="create"),
    path("export/", views.ContactExportView.as_view(), name="export"),
    path("<int:pk>/", views.ContactDetailView.as_view(), name="detail"),
    path("due/", views.DueListView.as_view(), name="due"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path("appointments/", views.AppointmentWeekView.as_view(), name="appointments"),
    path("appointments/new/", views.AppointmentCreateView.as_view(), name="appointment_create"),
    path("appointments/<int:pk>/done/", views.AppointmentDoneView.as_view(), name="appointment_done"),
    path("appointments/<int:pk>/cancel/", views.AppointmentCancelView.as_view(), name="appointment_cancel"),
]
