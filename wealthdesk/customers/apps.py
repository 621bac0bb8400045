from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "wealthdesk.customers"
    label = "customers"
    verbose_name = _("客户")

    def ready(self) -> None:
        from . import nav  # noqa: F401
