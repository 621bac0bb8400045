from django.urls import path

from . import alert_views, views

app_name = "security"
urlpatterns = [
    path("verify/", views.VerifyView.as_view(), name="verify"),
    path("enrol/", views.EnrolView.as_view(), name="enrol"),
    path("recovery-codes/", views.RecoveryCodesView.as_view(), name="recovery_codes"),
    path("password/", views.PasswordView.as_view(), name="password"),
    path("two-factor/", views.TwoFactorListView.as_view(), name="two_factor"),
    path("two-factor/<int:pk>/reset/", views.TwoFactorResetView.as_view(), name="two_factor_reset"),
    path("alerts/", alert_views.AlertListView.as_view(), name="alerts"),
    path("alerts/scan/", alert_views.ScanNowView.as_view(), name="alerts_scan"),
    path("alerts/<int:pk>/", alert_views.AlertDetailView.as_view(), name="alert"),
    path("alerts/<int:pk>/close/", alert_views.AlertCloseView.as_view(), name="alert_close"),
]
