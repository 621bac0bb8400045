"""Navigation of the security app."""
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.registry import register_nav

from .alert_views import OFFICERS
from .twofactor import RESETTERS

register_nav("security.two_factor", _("双因素认证管理"), "security:two_factor", roles=list(RESETTERS), order=95,
             icon="shield-lock")
register_nav("security.alerts", _("安全告警"), "security:alerts", roles=list(OFFICERS), order=96, icon="shield-exclamation")
