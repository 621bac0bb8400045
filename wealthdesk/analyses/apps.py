from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysesConfig(AppConfig):
    name = "wealthdesk.analyses"
    label = "analyses"
    verbose_name = _("半年度分析")

    def ready(self) -> None:
        from . import jobs, nav  # noqa: F401

        jobs.register()
