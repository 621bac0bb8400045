from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorklogsConfig(AppConfig):
    name = "wealthdesk.worklogs"
    label = "worklogs"
    verbose_name = _("工作日志")

    def ready(self) -> None:
        from . import compliance, nav  # noqa: F401

        compliance.register()
