from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    """Two-factor sign-in, session and password policy, token expiry (issue 15)."""

    name = "wealthdesk.security"
    label = "security"
    verbose_name = _("安全")

    def ready(self) -> None:
        from wealthdesk.core.params import register_defaults

        register_defaults({
            "security.token_hours": (8, "API令牌有效期（小时）"),
            "audit.retention_days": (180, "审计日志在表中保留天数（不少于180天，更早的归档到文件）"),
            "security.alert.customers_per_day": (200, "单人单日查看不同客户数超过此数即告警"),
            "security.alert.failed_login_addresses": (5, "同一账号单日从不少于此数的不同地址登录失败即告警"),
            "security.work_start_hour": (8, "工作时间开始（时，早于此时导出即告警）"),
            "security.work_end_hour": (19, "工作时间结束（时，此时及以后导出即告警）"),
        })
        from . import nav, signals  # noqa: F401
