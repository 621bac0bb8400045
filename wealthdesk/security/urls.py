from django.urls import path

from . import views

app_name = "security"
urlpatterns = [
    path("verify/", views.VerifyView.as_view(), name="verify"),
    path("enrol/", views.EnrolView.as_view(), name="enrol"),
    path("recovery-codes/", views.RecoveryCodesView.as_view(), name="recovery_codes"),
    path("password/", views.PasswordView.as_view(), name="password"),
    path("two-factor/", views.TwoFactorListView.as_view(), name="two_factor"),
    path("two-factor/<int:pk>/reset/", views.TwoFactorResetView.as_view(), name="two_factor_reset"),
]
