from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wealthdesk.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        from . import access_audit, deadlines, nav  # noqa: F401  deadline parameters, core navigation, audit receivers

        access_audit.connect_axes()
