"""Registrations of the cases app: navigation, panels (home, customer page), the branch's regional market report."""
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.registry import register_nav, register_panel
from wealthdesk.core.roles import ROLE_REACH, Role
from wealthdesk.core.submission import PeriodKind, register_report_kind

from . import panels
from .models import BULLETIN_READERS
from .views import ANSWERERS, READERS

register_nav("cases", _("上下联动"), "cases:cases", roles=list(READERS), section="daily", order=45, icon="arrow-down-up")
register_nav("cases.joint", _("私人银行联合服务"), "cases:joint_list",
             roles=[Role.CLIENT_MANAGER, Role.TEAM_LEAD, Role.CENTER_HEAD, *ANSWERERS], section="daily", order=46,
             icon="people-fill")
register_nav("cases.bulletins", _("贵宾专刊"), "cases:issues", roles=list(BULLETIN_READERS), section="daily",
             order=47, icon="newspaper")

register_panel("cases.inbox", _("待答复的上下联动事项"), "cases/panels/inbox.html", panels.inbox_panel, page="home",
               roles=list(ANSWERERS), order=9)
register_panel("cases.customer", _("上下联动与联合服务"), "cases/panels/customer.html", panels.customer_panel,
               page="customer", roles=list(ROLE_REACH), order=45)


def _market_url(report):
    from django.urls import reverse

    return reverse("cases:market", args=[report.pk])


def _validate_market(report):
    from .market import validate_submit

    validate_submit(report)


# The branch's regional market and customer information travels to head office on core's submission chain (R40).
register_report_kind("market_info", _("区域市场与客户信息报告"), "cases.MarketInfoReport", period=PeriodKind.QUARTER,
                     editor_roles=(Role.BRANCH_SERVICE,), submitter_roles=(Role.BRANCH_SERVICE,), due_days=10,
                     rule="R40", detail_url=_market_url, validate_submit=_validate_market, author_unit_kind="branch1")
register_nav("cases.market", _("区域市场与客户信息"), "cases:markets", roles=[Role.BRANCH_SERVICE, Role.HQ_SERVICE],
             section="reports", order=69, icon="globe")
