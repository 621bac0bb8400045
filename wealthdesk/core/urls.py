from django.urls import path

from . import notification_views, settings_views, submission_views, views

app_name = "core"
urlpatterns = [
    path("audit/", views.AuditLogListView.as_view(), name="audit-list"),
    path("notifications/", notification_views.NotificationListView.as_view(), name="notifications"),
    path("notifications/bell/", notification_views.NotificationBellView.as_view(), name="notification-bell"),
    path("notifications/read/", notification_views.NotificationReadView.as_view(), name="notifications-read"),

    path("submissions/", submission_views.DueBoardView.as_view(), name="submission-board"),
    path("settings/", settings_views.SettingsView.as_view(), name="settings"),
    path("settings/param/", settings_views.ParameterSetView.as_view(), name="settings-param"),
    path("settings/tiers/", settings_views.TierThresholdsSetView.as_view(), name="settings-tiers"),
    path("settings/contact-policy/", settings_views.ContactPolicySetView.as_view(), name="settings-contact-policy"),
    path("settings/calendar/", settings_views.CalendarDaySetView.as_view(), name="settings-calendar"),
    path("settings/calendar/<int:pk>/delete/", settings_views.CalendarDayDeleteView.as_view(),
         name="settings-calendar-delete"),
]
