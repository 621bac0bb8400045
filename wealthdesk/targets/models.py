"""Targets (R33) and the monthly performance sheet 《理财中心绩效汇总表》 (R34).

* ``Indicator`` – what head office measures (a registered metric), its unit, direction, default weight, cap and
  the positions it applies to.
* ``Target`` – an amount for one indicator, one period (month/quarter/year) and one unit (``staff`` empty) or one
  staff member; split from a ``parent`` target; weights of a plan add up to 100. Revised only with a reason
  (``TargetRevision`` keeps the history, R33 "plans are revised when analysis shows a gap").
* ``PerformanceSheet`` – one center's sheet for one month, computed live until the head closes the month; the
  close freezes the scores (``frozen``), after which nothing on it may change; it then travels up the report chain
  (``core.submission``). ``SheetAdjustment`` – the head's bonus or deduction for one staff member, with a reason.
"""
from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.concurrency import VersionedModel
from wealthdesk.core.models import TimeStampedModel
from wealthdesk.core.roles import Reach
from wealthdesk.core.scoping import ScopedQuerySet, unit_subtree_q
from wealthdesk.core.submission import Submission, SubmissionQuerySet

from .choices import SCORED_ROLES, Direction, IndicatorUnit, PeriodKind, PositionGroup

_PERIOD_MONTHS = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}


def period_start_of(kind: str, day: dt.date) -> dt.date:
    if kind == PeriodKind.YEAR:
        return dt.date(day.year, 1, 1)
    if kind == PeriodKind.QUARTER:
        return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return day.replace(day=1)


def period_end_of(kind: str, start: dt.date) -> dt.date:
    month = start.month + _PERIOD_MONTHS[kind] - 1
    year, month = start.year + (month - 1) // 12, (month - 1) % 12 + 1
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def period_label(kind: str, start: dt.date) -> str:
    if kind == PeriodKind.YEAR:
        return f"{start.year}"
    if kind == PeriodKind.QUARTER:
        return f"{start.year}Q{(start.month - 1) // 3 + 1}"
    return f"{start:%Y-%m}"


class Indicator(TimeStampedModel):
    """An indicator head office defines (R33): the registered metric it reads (``metric_key``), its unit, whether
    more is better or a ceiling (complaints), its default weight, the cap of its score (percent of the weight) and
    the positions it applies to."""

    code = models.SlugField(_("指标代码"), max_length=40, unique=True)
    name = models.CharField(_("指标名称"), max_length=60)
    metric_key = models.CharField(_("数据来源"), max_length=60)
    unit = models.CharField(_("单位"), max_length=8, choices=IndicatorUnit.choices, default=IndicatorUnit.COUNT)
    direction = models.CharField(_("方向"), max_length=8, choices=Direction.choices, default=Direction.POSITIVE)
    default_weight = models.PositiveSmallIntegerField(_("默认权重"), validators=[MaxValueValidator(100)])
    cap_percent = models.PositiveSmallIntegerField(_("得分上限（权重的百分比）"), default=120,
                                                   validators=[MinValueValidator(100), MaxValueValidator(200)])
    position_group = models.CharField(_("适用岗位"), max_length=16, choices=PositionGroup.choices,
                                      default=PositionGroup.CLIENT_MANAGER)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["position_group", "order", "code"]
        constraints = [
            models.CheckConstraint(name="indicator_weight_max_100", condition=Q(default_weight__lte=100)),
            models.CheckConstraint(name="indicator_cap_range", condition=Q(cap_percent__gte=100, cap_percent__lte=200)),
        ]

    def __str__(self) -> str:
        return self.name


class TargetQuerySet(ScopedQuerySet):
    """Upper levels and the head see the targets of their subtree; everyone else their own targets only."""

    scope_unit_field = "unit"
    scope_owner_field = "staff"
    scope_min_reach = Reach.NONE

    def scope_q(self, scope):
        if scope.user_id is None:
            return None
        if scope.reach >= Reach.SUBTREE and scope.unit_path:
            return unit_subtree_q(scope.unit_path, "unit")
        if scope.has(*SCORED_ROLES):
            return Q(staff_id=scope.user_id)
        return None


class Target(VersionedModel, TimeStampedModel):
    """A target (R33): ``amount`` of ``indicator`` for one period, set for ``unit`` (``staff`` empty) or for one
    staff member of that unit; ``parent`` is the target it was split from; ``weight`` its share of 100 points."""

    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="targets")
    period_kind = models.CharField(_("期间类型"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("期间开始"))
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("机构"), on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("员工"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="targets")
    parent = models.ForeignKey("self", verbose_name=_("上级目标"), null=True, blank=True, on_delete=models.CASCADE,
                               related_name="parts")
    amount = models.DecimalField(_("目标值"), max_digits=18, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0"))])
    weight = models.PositiveSmallIntegerField(_("权重"), validators=[MaxValueValidator(100)])

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("目标")
        verbose_name_plural = _("目标")
        ordering = ["-period_start", "unit__path", "staff_id", "indicator__order", "id"]
        constraints = [
            models.CheckConstraint(name="target_amount_nonneg", condition=Q(amount__gte=0)),
            models.CheckConstraint(name="target_weight_max_100", condition=Q(weight__lte=100)),
            models.UniqueConstraint(fields=["indicator", "period_kind", "period_start", "unit"],
                                    condition=Q(staff__isnull=True), name="target_unique_unit"),
            models.UniqueConstraint(fields=["indicator", "period_kind", "period_start", "staff"],
                                    condition=Q(staff__isnull=False), name="target_unique_staff"),
        ]
        indexes = [models.Index(fields=["period_kind", "period_start", "unit"], name="target_period_unit_idx"),
                   models.Index(fields=["staff", "period_start"], name="target_staff_period_idx")]

    def __str__(self) -> str:
        who = self.staff if self.staff_id else self.unit
        return f"{who} {self.indicator} {self.period_label}"

    @property
    def period_end(self) -> dt.date:
        return period_end_of(self.period_kind, self.period_start)

    @property
    def period_label(self) -> str:
        return period_label(self.period_kind, self.period_start)


class TargetRevision(models.Model):
    """One change of a target's amount or weight, with the reason (R33: revised when analysis shows a gap)."""

    target = models.ForeignKey(Target, verbose_name=_("目标"), on_delete=models.CASCADE, related_name="revisions")
    old_amount = models.DecimalField(_("原目标值"), max_digits=18, decimal_places=2, null=True, blank=True)
    new_amount = models.DecimalField(_("新目标值"), max_digits=18, decimal_places=2)
    old_weight = models.PositiveSmallIntegerField(_("原权重"), null=True, blank=True)
    new_weight = models.PositiveSmallIntegerField(_("新权重"))
    reason = models.CharField(_("调整原因"), max_length=200)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("调整人"), on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField(_("调整时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("目标调整记录")
        verbose_name_plural = _("目标调整记录")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.target_id} {self.old_amount}→{self.new_amount}"


class SheetQuerySet(SubmissionQuerySet):
    """Upper levels and the head see every sheet of their subtree (open or closed: kept in view between scorings,
    R34); a scored staff member sees their own center's sheets, and on them only their own line."""

    scope_unit_field = "unit"
    scope_owner_field = None

    def scope_q(self, scope):
        if scope.user_id is None:
            return None
        if scope.reach >= Reach.SUBTREE and scope.unit_path:
            return unit_subtree_q(scope.unit_path, "unit")
        if scope.unit_id and scope.has(*SCORED_ROLES):
            return Q(unit_id=scope.unit_id)
        return None


class PerformanceSheet(Submission):
    """《理财中心绩效汇总表》 of one center for one month (R34)."""

    REPORT_KIND = "performance_sheet"

    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("理财中心"), on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("月份"))
    comment = models.TextField(_("负责人评语"), blank=True)
    closed_at = models.DateTimeField(_("月结时间"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("月结人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    close_due_on = models.DateField(_("月结期限"), null=True, blank=True)
    frozen = models.JSONField(_("月结版本"), default=dict, blank=True)

    objects = SheetQuerySet.as_manager()

    class Meta:
        verbose_name = _("绩效汇总表")
        verbose_name_plural = _("绩效汇总表")
        ordering = ["-period_start", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "period_start"], name="perfsheet_unit_month")]

    def __str__(self) -> str:
        return f"{self.unit} {self.period_start:%Y-%m}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def period_end(self) -> dt.date:
        return period_end_of(PeriodKind.MONTH, self.period_start)

    @property
    def month_label(self) -> str:
        return f"{self.period_start:%Y-%m}"

    def submission_content(self) -> dict:
        return self.frozen


class SheetAdjustment(TimeStampedModel):
    """The head's adjustment of one staff member's score with the reason (bonus > 0, deduction < 0)."""

    sheet = models.ForeignKey(PerformanceSheet, verbose_name=_("绩效汇总表"), on_delete=models.CASCADE,
                              related_name="adjustments")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("员工"), on_delete=models.PROTECT,
                              related_name="+")
    points = models.DecimalField(_("调整分数"), max_digits=5, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("-10")), MaxValueValidator(Decimal("10"))])
    reason = models.CharField(_("调整原因"), max_length=200)

    class Meta:
        verbose_name = _("绩效调整")
        verbose_name_plural = _("绩效调整")
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(name="adjustment_points_range",
                                              condition=Q(points__gte=-10, points__lte=10) & ~Q(points=0))]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.points}"
