from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportControlConfig(AppConfig):
    name = "wealthdesk.exportcontrol"
    label = "exportcontrol"
    verbose_name = _("导出审批")

    def ready(self) -> None:
        from . import nav  # noqa: F401
