from django.urls import path

from . import views

app_name = "staff"
urlpatterns = [
    path("agreement/", views.AgreementView.as_view(), name="agreement"),
    path("pick/", views.StaffPickView.as_view(), name="pick"),
]
