from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "wealthdesk.meetings"
    label = "meetings"
    verbose_name = _("会议与问题上报")

    def ready(self) -> None:
        from wealthdesk.core.params import register_defaults

        register_defaults({
            "huddle.max_minutes": (30, "晨会/夕会时长上限（分钟，制度要求10–15分钟）"),
            "meeting.subbranch_gap_days": (14, "支行与理财中心例会最长间隔（天）"),
        })
        from . import compliance, nav  # noqa: F401

        compliance.register()
