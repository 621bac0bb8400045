from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "wealthdesk.orgs"
    label = "orgs"
    verbose_name = _("机构")

    def ready(self) -> None:
        from . import nav  # noqa: F401
