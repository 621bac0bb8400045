from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorebankingConfig(AppConfig):
    name = "wealthdesk.corebanking"
    label = "corebanking"
    verbose_name = _("核心系统数据")

    def ready(self) -> None:
        from . import jobs, nav  # noqa: F401

        jobs.register()
