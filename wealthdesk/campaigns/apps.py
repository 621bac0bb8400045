from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "wealthdesk.campaigns"
    label = "campaigns"
    verbose_name = _("定向营销活动")

    def ready(self) -> None:
        from wealthdesk.core.params import register_defaults

        register_defaults({
            "campaign.small_per_year": (6, "每个理财中心每年至少开展的小型定向营销活动数"),
            "campaign.large_per_year": (2, "每个理财中心每年至少开展的大型营销活动数"),
            "campaign.holdout_percent": (10, "营销活动对照组比例（%，随机抽取、不联系，用于测算提升效果）"),
            "campaign.result_window_days": (30, "营销活动结束后计入效果的天数（成交与新增资产）"),
            "campaign.start_background_min": (20000, "中心客户数超过此值时，启动活动在后台生成客户名单（需后台任务进程）"),
        })
        from . import jobs, nav  # noqa: F401

        jobs.register()
