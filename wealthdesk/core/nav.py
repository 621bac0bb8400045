"""Core navigation entries."""
from django.utils.translation import gettext_lazy as _

from .registry import register_nav, register_panel, register_section
from .roles import AUDIT_BROWSERS, Role
from .submission_views import BOARD_ROLES

register_nav("home", _("首页"), "home", order=0, icon="house")
register_nav("audit", _("审计日志"), "core:audit-list", roles=AUDIT_BROWSERS, order=900, icon="journal-text")
register_nav("settings", _("总行设置"), "core:settings", roles=[Role.HQ_SERVICE, Role.SYSTEM_ADMIN], order=910,
             icon="sliders")

register_nav("submissions", _("下级报送"), "core:submission-board", roles=sorted(BOARD_ROLES | {Role.AUDITOR}),
             order=650, icon="inboxes")

register_section("customers", _("客户"), order=10,
                 members=["customers", "contacts", "alerts.mine", "alerts.center", "alerts.maturities", "archive",
                          "archive.paper", "archive.departures"])
register_section("daily", _("日常工作"), order=30, members=["worklogs", "referrals", "voice", "complaints"])
register_section("reports", _("统计报表"), order=60, members=["dashboards", "referrals.stats", "complaint_stats", "reports",
                                                                 "reports.library", "submissions"])
register_section("admin", _("管理"), order=800, members=["corebanking.imports", "orgs", "audit", "settings"])


def _role_guide(kind):
    def context(request):
        return {"kind": kind}

    return context


# Roles whose work has no panel of its own yet: the home page says what they can do and links to it.
register_panel("core.guide.sysadmin", _("系统管理"), "core/panels/role_guide.html", _role_guide("sysadmin"),
               roles=[Role.SYSTEM_ADMIN], order=1)
