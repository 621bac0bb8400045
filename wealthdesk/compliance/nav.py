"""Registrations of the compliance monitor: a link under the reports section and a panel on the head's page."""
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.registry import register_nav, register_panel
from wealthdesk.core.roles import Role

from . import panels
from .roles import MONITOR_ROLES

register_nav("compliance", _("制度执行监测"), "compliance:monitor", roles=sorted(MONITOR_ROLES), section="reports",
             order=60, icon="clipboard-check")
register_panel("compliance.today", _("制度执行：逾期事项"), "compliance/panels/today.html", panels.today_panel,
               page="head", roles=[Role.CENTER_HEAD], order=2)
