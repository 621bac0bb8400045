from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    name = "wealthdesk.voice"
    label = "voice"
    verbose_name = _("客户之声")

    def ready(self) -> None:
        from . import compliance, nav  # noqa: F401

        compliance.register()
