"""Registrations of the worklogs app: navigation and the start pages (workbench, head's view)."""
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.params import register_defaults
from wealthdesk.core.registry import register_home, register_metric, register_nav
from wealthdesk.core.roles import Role

from . import metrics
from .views import LOG_READERS, SUPERVISORS

register_nav("workbench", _("工作台"), "worklogs:workbench", roles=[Role.CLIENT_MANAGER], order=5, icon="speedometer2")
register_nav("head", _("团队管理"), "worklogs:head", roles=list(SUPERVISORS), order=5, icon="people-fill")
register_nav("worklogs", _("工作日志"), "worklogs:logs", roles=list(LOG_READERS), order=40, icon="journal-text")
register_home("worklogs:workbench", roles=[Role.CLIENT_MANAGER], order=50)
register_home("worklogs:head", roles=list(SUPERVISORS), order=40)

register_defaults({metrics.SUBMIT_DAYS_PARAM: (0, "日志按时提交：日志当天之后N个工作日内提交算按时（0为当天）")})
register_metric("logs_on_time", _("按时提交日志天数"), metrics.logs_on_time_metric,
                records=metrics.logs_on_time_records)
register_metric("debriefs_held", _("按日汇报天数"), metrics.debriefs_metric, records=metrics.debriefs_records)
