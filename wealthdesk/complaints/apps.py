from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "wealthdesk.complaints"
    label = "complaints"
    verbose_name = _("客户投诉")

    def ready(self) -> None:
        from . import compliance, nav  # noqa: F401

        compliance.register()
