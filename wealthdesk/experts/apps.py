from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "wealthdesk.experts"
    label = "experts"
    verbose_name = _("专家库与专家咨询")

    def ready(self) -> None:
        from wealthdesk.core.access import register_access_check
        from wealthdesk.core.params import register_defaults

        from .access import engagement_refusal

        register_defaults({
            "consultation.attachment_max_kb": (5120, "专家咨询附件大小上限（KB，仅限PDF和图片）"),
            "consultation.booking_max_minutes": (240, "专家预约会面时长上限（分钟）"),
        })
        register_access_check(engagement_refusal)
        from . import nav  # noqa: F401
