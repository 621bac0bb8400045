from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "wealthdesk.compliance"
    label = "compliance"
    verbose_name = _("制度执行监测")

    def ready(self) -> None:
        from . import nav  # noqa: F401
