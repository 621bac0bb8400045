from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    name = "wealthdesk.targets"
    label = "targets"
    verbose_name = _("目标与绩效")

    def ready(self) -> None:
        from . import nav  # noqa: F401
