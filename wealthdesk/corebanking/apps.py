from django.apps import AppConfig


class CorebankingConfig(AppConfig):
    name = "wealthdesk.corebanking"
    label = "corebanking"
