from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "wealthdesk.complaints"
    label = "complaints"
