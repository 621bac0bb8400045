"""Daily logs (R9 《客户经理日志》), their help-needed items (feeding R12), debriefs (R10) and reviews (R11)."""
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.models import TimeStampedModel
from wealthdesk.core.scoping import ScopedQuerySet

from .choices import DebriefMode, HelpStatus, LogStatus


class StaffScopedQuerySet(ScopedQuerySet):
    """A client manager sees their own rows, a team lead the team's, the center head and upper levels their
    subtree (DESIGN rule 1)."""

    scope_unit_field = "center"
    scope_owner_field = "staff"


class DailyLog(TimeStampedModel):
    """One client manager's 《客户经理日志》 for one day (R9).

    ``figures`` keeps the values the system already knew (registered metrics: contacts, referrals followed,
    sales…) as the manager confirmed them on submission, so later changes never rewrite history.
    ``version`` is the optimistic lock: every save must name the version it read.
    """

    staff = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("客户经理"), on_delete=models.PROTECT,
                              related_name="daily_logs")
    center = models.ForeignKey("orgs.OrgUnit", verbose_name=_("理财中心"), on_delete=models.PROTECT,
                               related_name="daily_logs")
    log_date = models.DateField(_("日志日期"), db_index=True)
    status = models.CharField(_("状态"), max_length=16, choices=LogStatus.choices, default=LogStatus.DRAFT)
    version = models.PositiveIntegerField(_("版本号"), default=1)
    figures = models.JSONField(_("系统数据（已确认）"), default=dict, blank=True)
    customers_contacted = models.PositiveIntegerField(_("联系客户数"), default=0)
    new_customers = models.PositiveIntegerField(_("新增客户数"), default=0)
    products_sold = models.TextField(_("销售产品（品种及金额）"), blank=True)
    sales_amount = models.DecimalField(_("销售金额（元）"), max_digits=18, decimal_places=2, default=Decimal("0"),
                                       validators=[MinValueValidator(Decimal("0"))])
    referrals_followed = models.PositiveIntegerField(_("跟进推介数"), default=0)
    marketing_leads = models.TextField(_("营销线索"), blank=True)
    relationship_maintenance = models.TextField(_("关系维护"), blank=True)
    target_progress = models.TextField(_("目标进度"), blank=True)
    difficulties = models.TextField(_("困难与问题"), blank=True)
    help_needed = models.TextField(_("需要的帮助（每行一项）"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("批阅人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("批阅时间"), null=True, blank=True)
    review_comment = models.TextField(_("批阅意见"), blank=True)

    objects = StaffScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("客户经理日志")
        verbose_name_plural = _("客户经理日志")
        ordering = ["-log_date", "staff_id"]
        constraints = [models.UniqueConstraint(fields=["staff", "log_date"], name="dailylog_staff_date_uniq")]
        indexes = [models.Index(fields=["center", "log_date", "status"], name="dailylog_center_date_idx")]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.log_date:%Y-%m-%d}"

    @property
    def is_editable(self) -> bool:
        from .choices import EDITABLE_STATUSES

        return self.status in EDITABLE_STATUSES


class HelpRequest(TimeStampedModel):
    """One "help needed" item raised in a daily log, with its own status (R9; the escalation of R12 uses it)."""

    log = models.ForeignKey(DailyLog, verbose_name=_("日志"), on_delete=models.CASCADE, related_name="help_requests")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT,
                              related_name="help_requests")
    center = models.ForeignKey("orgs.OrgUnit", verbose_name=_("理财中心"), on_delete=models.PROTECT,
                               related_name="help_requests")
    text = models.CharField(_("需要的帮助"), max_length=300)
    status = models.CharField(_("状态"), max_length=16, choices=HelpStatus.choices, default=HelpStatus.OPEN)
    resolution = models.TextField(_("处理结果"), blank=True)
    resolved_at = models.DateTimeField(_("解决时间"), null=True, blank=True)

    objects = StaffScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("需协助事项")
        verbose_name_plural = _("需协助事项")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["center", "status"], name="helpreq_center_status_idx")]

    def __str__(self) -> str:
        return self.text[:40]


class Debrief(TimeStampedModel):
    """A client manager's end-of-day report to the direct supervisor (R10), recorded by the supervisor."""

    staff = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("客户经理"), on_delete=models.PROTECT,
                              related_name="debriefs")
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("听取人"), on_delete=models.PROTECT,
                                   related_name="debriefs_heard")
    center = models.ForeignKey("orgs.OrgUnit", verbose_name=_("理财中心"), on_delete=models.PROTECT,
                               related_name="debriefs")
    debrief_date = models.DateField(_("汇报日期"), db_index=True)
    mode = models.CharField(_("方式"), max_length=8, choices=DebriefMode.choices, default=DebriefMode.FACE)
    note = models.CharField(_("备注"), max_length=300, blank=True)

    objects = StaffScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("每日汇报")
        verbose_name_plural = _("每日汇报")
        ordering = ["-debrief_date", "staff_id"]
        constraints = [models.UniqueConstraint(fields=["staff", "debrief_date"], name="debrief_staff_date_uniq")]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.debrief_date:%Y-%m-%d} {self.mode}"
