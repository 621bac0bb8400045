from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "wealthdesk.archive"
    label = "archive"
    verbose_name = _("客户档案")

    def ready(self) -> None:
        from . import compliance, nav  # noqa: F401

        compliance.register()
