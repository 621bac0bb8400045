"""Registrations of the meetings app: navigation, panels on the team page, workbench and home."""
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.registry import register_nav, register_panel
from wealthdesk.core.roles import Role

from . import panels
from .problem_views import ANSWERERS, HEADS
from .views import COMPLIANCE_READERS, OVERSEERS, READERS

register_nav("meetings.huddles", _("晨会/夕会"), "meetings:huddles", roles=list(READERS), section="daily", order=41,
             icon="alarm")
register_nav("meetings", _("例会记录"), "meetings:meetings", roles=list(READERS), section="daily", order=42,
             icon="people")
register_nav("meetings.problems", _("问题上报"), "meetings:problems", roles=list(READERS), section="daily", order=43,
             icon="flag")
register_nav("meetings.inbox", _("上报问题收件箱"), "meetings:inbox", roles=list(ANSWERERS), section="daily", order=44,
             icon="inbox")
register_nav("meetings.board", _("晨会/夕会情况"), "meetings:huddle_board", roles=list(OVERSEERS), section="reports",
             order=61, icon="calendar-check")
register_nav("meetings.compliance", _("例会合规"), "meetings:compliance", roles=list(COMPLIANCE_READERS),
             section="reports", order=62, icon="calendar3")
register_nav("meetings.report", _("问题上报统计"), "meetings:problem_report", roles=list(COMPLIANCE_READERS),
             section="reports", order=63, icon="bar-chart")

register_panel("meetings.huddles", _("晨会/夕会"), "meetings/panels/huddles.html", panels.team_huddles_panel,
               page="head", roles=[Role.TEAM_LEAD, Role.CENTER_HEAD], order=5)
register_panel("meetings.problems", _("问题反馈期限"), "meetings/panels/problems.html", panels.head_problems_panel,
               page="head", roles=list(HEADS), order=6)
register_panel("meetings.actions", _("我的会议待办"), "meetings/panels/actions.html", panels.my_actions_panel,
               page="workbench", roles=[Role.CLIENT_MANAGER], order=8)
register_panel("meetings.inbox", _("待答复的上报问题"), "meetings/panels/inbox.html", panels.inbox_panel,
               page="home", roles=list(ANSWERERS), order=8)
