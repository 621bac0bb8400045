from django.apps import AppConfig


class WorklogsConfig(AppConfig):
    name = "wealthdesk.worklogs"
    label = "worklogs"
