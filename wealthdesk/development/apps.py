from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevelopmentConfig(AppConfig):
    name = "wealthdesk.development"
    label = "development"
    verbose_name = _("职业目标与培训")

    def ready(self) -> None:
        from wealthdesk.core.params import register_defaults

        register_defaults({
            "career.review_remind_days": (5, "职业目标季度回顾到期前提醒天数（工作日）"),
        })
        from . import nav  # noqa: F401
