from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wealthdesk.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        from . import deadlines, nav  # noqa: F401  the deadline parameters and the core navigation entries
