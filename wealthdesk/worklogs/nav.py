"""Registrations of the worklogs app: navigation and the start pages (workbench, head's view)."""
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.registry import register_home, register_nav
from wealthdesk.core.roles import Role

from .views import LOG_READERS, SUPERVISORS

register_nav("workbench", _("工作台"), "worklogs:workbench", roles=[Role.CLIENT_MANAGER], order=5, icon="speedometer2")
register_nav("head", _("团队管理"), "worklogs:head", roles=list(SUPERVISORS), order=5, icon="people-fill")
register_nav("worklogs", _("工作日志"), "worklogs:logs", roles=list(LOG_READERS), order=40, icon="journal-text")
register_home("worklogs:workbench", roles=[Role.CLIENT_MANAGER], order=50)
register_home("worklogs:head", roles=list(SUPERVISORS), order=40)
