from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "wealthdesk.cases"
    label = "cases"
    verbose_name = _("上下联动")

    def ready(self) -> None:
        from wealthdesk.core.scoping import register_scope_extension

        from . import nav  # noqa: F401
        from .joint import joint_contact_q, joint_customer_q

        register_scope_extension("customers.Customer", joint_customer_q)
        register_scope_extension("contacts.ContactRecord", joint_contact_q)
