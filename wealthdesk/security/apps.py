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
        })
        from . import nav, signals  # noqa: F401
