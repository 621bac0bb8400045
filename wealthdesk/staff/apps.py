from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "wealthdesk.staff"
    label = "staff"
    verbose_name = _("员工")

    def ready(self) -> None:
        from . import nav, signals  # noqa: F401
