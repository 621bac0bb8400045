from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "wealthdesk.alerts"
    label = "alerts"
