from django.db import models
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.roles import Role


class PeriodKind(models.TextChoices):
    MONTH = "month", _("月度")
    QUARTER = "quarter", _("季度")
    YEAR = "year", _("年度")


class IndicatorUnit(models.TextChoices):
    COUNT = "count", _("个数")
    YUAN = "yuan", _("金额（元）")
    PERCENT = "percent", _("百分比（%）")


class Direction(models.TextChoices):
    POSITIVE = "positive", _("越多越好")
    NEGATIVE = "negative", _("越少越好（上限）")


class PositionGroup(models.TextChoices):
    """Who an indicator applies to: client managers (customers, sales) or the front desk (tellers and lobby
    managers, scored on their referrals by number and quality, R17, and the complaints they record, R30)."""

    CLIENT_MANAGER = "client_manager", _("客户经理")
    FRONT_DESK = "front_desk", _("柜员与大堂经理")


class SheetStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已月结")


GROUP_ROLES = {
    PositionGroup.CLIENT_MANAGER: frozenset({Role.CLIENT_MANAGER, Role.TEAM_LEAD}),
    PositionGroup.FRONT_DESK: frozenset({Role.LOBBY_MANAGER, Role.CASH_TELLER, Role.NONCASH_TELLER}),
}
SCORED_ROLES = GROUP_ROLES[PositionGroup.CLIENT_MANAGER] | GROUP_ROLES[PositionGroup.FRONT_DESK]

# The deductions of the sheet (R34): a metric registered by the app owning the data, and the parameter holding
# the points taken off per record.
DEDUCTIONS = {
    "complaints_overdue": ("performance.deduct.complaint_overdue", _("投诉超期未答复")),
    "vip_contacts_missed": ("performance.deduct.vip_contact_missed", _("贵宾客户当月未联系")),
    "questions_overdue": ("performance.deduct.question_overdue", _("客户问题超过两周未答复")),
}
