"""Registrations of the targets app: parameters, navigation, panels, the sheet's kind on the report chain (R34),
and the compliance measure "last month's performance sheet closed" (R34)."""
from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.params import register_defaults
from wealthdesk.core.registry import (
    register_compliance,
    register_nav,
    register_panel,
    register_report_figures,
    register_section,
)
from wealthdesk.core.roles import UPPER_LEVEL, Role
from wealthdesk.core.submission import register_report_kind

from . import panels, report_figures
from .choices import SCORED_ROLES
from .services import validate_submit

register_defaults({
    "performance.max_bonus": (10, "绩效加分上限（分）"),
    "performance.deduct.complaint_overdue": (2, "绩效扣分：每件超期未答复投诉扣分"),
    "performance.deduct.vip_contact_missed": (1, "绩效扣分：每位当月未联系的贵宾客户扣分"),
    "performance.deduct.question_overdue": (1, "绩效扣分：每个超过两周未答复的客户问题扣分"),
})

TARGET_READERS = sorted(SCORED_ROLES | {Role.CENTER_HEAD, Role.BUSINESS_SUPERVISOR} | (UPPER_LEVEL - {Role.QUALITY_MANAGER}))
SHEET_READERS = TARGET_READERS

register_section("planning", _("绩效与培训"), order=55, members=["targets", "targets.sheets", "targets.indicators"])
register_nav("targets", _("目标与进度"), "targets:list", roles=TARGET_READERS, order=55, icon="bullseye")
register_nav("targets.sheets", _("绩效汇总表"), "targets:sheets", roles=SHEET_READERS, order=56, icon="clipboard-data")
register_nav("targets.indicators", _("考核指标"), "targets:indicators",
             roles=[Role.HQ_SERVICE, Role.BRANCH_SERVICE, Role.SUBBRANCH_SERVICE, Role.CENTER_HEAD], order=57,
             icon="list-check")

register_panel("targets.behind", _("本月落后于进度的员工"), "targets/panels/behind.html", panels.behind_panel,
               page="head", roles=[Role.CENTER_HEAD], order=25)
register_panel("targets.mine", _("我的本月目标与得分"), "targets/panels/mine.html", panels.mine_panel,
               page="workbench", roles=[Role.CLIENT_MANAGER], order=25)


def _detail_url(sheet):
    return reverse("targets:sheet", args=[sheet.pk])


register_report_kind("performance_sheet", _("理财中心绩效汇总表"), "targets.PerformanceSheet", period="month",
                     author="unit", receiver="above", due_days=5, rule="R34", detail_url=_detail_url,
                     validate_submit=validate_submit)


def _closed_last_month(center_ids, today: dt.date) -> dict[int, dict]:
    """R34, monthly: last month's sheet of each center is due; done once closed; overdue after its close deadline."""
    from wealthdesk.core.deadlines import due_date

    from .models import PerformanceSheet

    month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    deadline = due_date("performance.close", today.replace(day=1) - dt.timedelta(days=1))
    closed = set(PerformanceSheet.objects.filter(unit_id__in=list(center_ids), period_start=month,
                                                 closed_at__isnull=False).values_list("unit_id", flat=True))
    late = today > deadline
    return {cid: {"due": 1, "done": 1 if cid in closed else 0, "overdue": 1 if (cid not in closed and late) else 0}
            for cid in center_ids}


def _overdue_url(unit) -> str:
    return reverse("targets:sheets") + "?status=open"


register_compliance("performance_sheet.closed", "R34", _("上月绩效汇总表已月结"), _closed_last_month, period="month",
                    overdue_url=_overdue_url, order=340)

register_report_figures("targets", _("目标完成情况"), report_figures.target_figures, order=50)
