from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "wealthdesk.reports"
    label = "reports"
    verbose_name = _("报告报送")

    def ready(self) -> None:
        from . import agenda, compliance, nav  # noqa: F401

        compliance.register()
        agenda.register()
