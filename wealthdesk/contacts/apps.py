from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "wealthdesk.contacts"
    label = "contacts"
    verbose_name = _("客户联系")

    def ready(self) -> None:
        from wealthdesk.core.params import register_defaults

        register_defaults({
            "contact.future_tolerance_minutes": (10, "联系时间允许晚于当前时间的分钟数（时钟误差）"),
            "contact.due_soon_days": (7, "即将到期联系提醒的天数"),
        })
        from . import compliance, nav  # noqa: F401

        compliance.register()
