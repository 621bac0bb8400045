from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "wealthdesk.alerts"
    label = "alerts"
    verbose_name = _("预警")

    def ready(self) -> None:
        from . import jobs, nav  # noqa: F401

        jobs.register()
