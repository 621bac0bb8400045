"""Core navigation entries."""
from django.utils.translation import gettext_lazy as _

from .registry import register_nav
from .roles import AUDIT_BROWSERS

register_nav("home", _("首页"), "home", order=0, icon="house")
register_nav("audit", _("审计日志"), "core:audit-list", roles=AUDIT_BROWSERS, order=900, icon="journal-text")
