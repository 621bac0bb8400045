"""Alert rules and alerts with follow-through (R6 large fund movements, R7 tier downgrades)."""
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.concurrency import VersionedModel
from wealthdesk.core.models import TimeStampedModel
from wealthdesk.core.scoping import ScopedQuerySet
from wealthdesk.customers.choices import Tier

from .choices import OPEN_STATUSES, AlertKind, AlertStatus, CloseReason, NoteKind, ReviewState


class AlertRule(TimeStampedModel):
    """A large-movement rule that head office edits (R6), or the tier-downgrade rule (R7).

    * single outflow: one outgoing transaction ≥ ``min_amount`` (one rule per tier);
    * cumulative outflow: the balance fell by ≥ ``share`` of its highest value in the previous
      ``window_days`` days, and by at least ``min_amount``;
    * other bank: one transfer to another bank ≥ ``min_amount``;
    * tier downgrade: no figures, opened by the tier recomputation.

    ``tier`` blank means the rule applies to customers of every tier.
    """

    code = models.SlugField(_("规则代码"), max_length=40, unique=True)
    name = models.CharField(_("规则名称"), max_length=80)
    kind = models.CharField(_("预警类型"), max_length=24, choices=AlertKind.choices)
    tier = models.CharField(_("适用客户级别"), max_length=16, choices=Tier.choices, blank=True,
                            help_text=_("留空表示适用于所有级别"))
    min_amount = models.DecimalField(_("金额门槛（元）"), max_digits=18, decimal_places=2, null=True, blank=True,
                                     validators=[MinValueValidator(Decimal("0.01"))])
    share = models.DecimalField(_("占资产比例"), max_digits=5, decimal_places=4, null=True, blank=True,
                                validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(Decimal("1"))],
                                help_text=_("如 0.3000 表示 30%"))
    window_days = models.PositiveSmallIntegerField(_("观察天数"), null=True, blank=True,
                                                   validators=[MinValueValidator(1), MaxValueValidator(90)])
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("预警规则")
        verbose_name_plural = _("预警规则")
        ordering = ["kind", "tier", "code"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "tier"], name="alertrule_kind_tier_uniq"),
            models.CheckConstraint(condition=Q(share__isnull=True) | (Q(share__gt=0) & Q(share__lte=1)),
                                   name="alertrule_share_range"),
            models.CheckConstraint(condition=Q(min_amount__isnull=True) | Q(min_amount__gt=0),
                                   name="alertrule_min_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        needs_amount = self.kind in (AlertKind.SINGLE_OUTFLOW, AlertKind.OTHER_BANK, AlertKind.CUMULATIVE_OUTFLOW)
        if needs_amount and self.min_amount is None:
            errors["min_amount"] = [_("该类型的规则必须填写金额门槛。")]
        if self.kind == AlertKind.CUMULATIVE_OUTFLOW:
            if self.share is None:
                errors["share"] = [_("累计净流出规则必须填写占资产比例。")]
            if not self.window_days:
                errors["window_days"] = [_("累计净流出规则必须填写观察天数。")]
        if errors:
            raise ValidationError(errors)


class AlertQuerySet(ScopedQuerySet):
    """Client manager: alerts assigned to them; team lead: the team's; head and above: their subtree."""

    scope_unit_field = "center"
    scope_owner_field = "assigned_to"

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today):
        return self.open().filter(due_date__lt=today)

    def awaiting_review(self):
        return self.filter(status=AlertStatus.CLOSED, review_state=ReviewState.PENDING)


class Alert(VersionedModel, TimeStampedModel):
    """One large movement or tier downgrade of one customer to be followed through (R6, R7).

    ``evidence`` keeps the transactions or balance points that triggered it (copied at opening, so the
    detail page shows them even after later loads). ``center`` is the customer's center at opening and
    scopes the alert; ``assigned_to`` is the responsible client manager.
    """

    kind = models.CharField(_("预警类型"), max_length=24, choices=AlertKind.choices, db_index=True)
    rule = models.ForeignKey(AlertRule, verbose_name=_("规则"), on_delete=models.PROTECT, related_name="alerts")
    customer = models.ForeignKey("customers.Customer", verbose_name=_("客户"), on_delete=models.CASCADE,
                                 related_name="alerts")
    center = models.ForeignKey("orgs.OrgUnit", verbose_name=_("理财中心"), on_delete=models.PROTECT,
                               related_name="alerts")
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("负责客户经理"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="alerts")
    as_of = models.DateField(_("发生日期"))
    amount = models.DecimalField(_("金额（元）"), max_digits=18, decimal_places=2)
    summary = models.CharField(_("摘要"), max_length=200, blank=True)
    evidence = models.JSONField(_("触发依据"), default=list, blank=True)
    due_date = models.DateField(_("跟进期限"))
    status = models.CharField(_("状态"), max_length=16, choices=AlertStatus.choices, default=AlertStatus.NEW)
    close_reason = models.CharField(_("原因"), max_length=24, choices=CloseReason.choices, blank=True)
    close_reason_other = models.CharField(_("其他原因说明"), max_length=200, blank=True)
    measures = models.TextField(_("采取的措施"), blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("关闭人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    review_state = models.CharField(_("复核状态"), max_length=16, choices=ReviewState.choices, blank=True,
                                    default=ReviewState.NONE)
    reviewed_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("复核人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reopen_count = models.PositiveSmallIntegerField(_("重新打开次数"), default=0)

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        ordering = ["due_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "rule"], condition=~Q(status="closed"),
                                    name="alert_one_open_per_customer_rule"),
            models.CheckConstraint(condition=~Q(status="closed") | ~Q(close_reason=""),
                                   name="alert_closed_has_reason"),
        ]
        indexes = [
            models.Index(fields=["assigned_to", "status", "due_date"], name="alert_cm_status_due_idx"),
            models.Index(fields=["center", "status", "due_date"], name="alert_center_status_due_idx"),
            # The alert list's order (issue 16, keyset pages): upper levels walk it instead of sorting the bank's.
            models.Index(fields=["status", "due_date", "-id"], name="alert_list_order_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today) -> bool:
        return self.is_open and self.due_date < today


class AlertNoteQuerySet(ScopedQuerySet):
    scope_unit_field = "alert__center"
    scope_owner_field = "alert__assigned_to"


class AlertNote(TimeStampedModel):
    """A line in an alert's follow-through: follow-up, closing, the head's review or reopening."""

    alert = models.ForeignKey(Alert, verbose_name=_("预警"), on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("记录类型"), max_length=16, choices=NoteKind.choices)
    text = models.TextField(_("内容"), blank=True)

    objects = AlertNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("预警跟进记录")
        verbose_name_plural = _("预警跟进记录")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.alert_id} {self.kind}"


class AlertMatch(models.Model):
    """One rule that an alert's movements matched (R6): a single large outflow can match the single-outflow, the
    cumulative-net-outflow and the other-bank rules at once, and still opens one alert for the customer and day.

    The alert's ``rule``/``kind`` is its leading match (the largest amount); the statistics count these rows, so
    they count by rule. A rule with an open match for the customer is not matched again until the alert closes.
    """

    alert = models.ForeignKey(Alert, verbose_name=_("预警"), on_delete=models.CASCADE, related_name="matches")
    rule = models.ForeignKey(AlertRule, verbose_name=_("规则"), on_delete=models.PROTECT, related_name="matches")
    kind = models.CharField(_("预警类型"), max_length=24, choices=AlertKind.choices, db_index=True)
    amount = models.DecimalField(_("金额（元）"), max_digits=18, decimal_places=2)
    summary = models.CharField(_("摘要"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("预警命中规则")
        verbose_name_plural = _("预警命中规则")
        ordering = ["alert", "id"]
        constraints = [models.UniqueConstraint(fields=["alert", "rule"], name="alertmatch_alert_rule_uniq")]

    def __str__(self) -> str:
        return f"{self.alert_id} {self.kind}"


class MaturityCount(models.Model):
    """Maintained summary (issue 16): holdings per center and client manager of the customer (now) and maturity
    date, their number and amount — the dashboards' "maturing soon" figures (R1, 到期提醒) as one grouped query.
    Holdings come from the core-banking loads: the summary is rebuilt by the holdings load and its rollback
    (balance-derived, like the AUM sums); a single holding saved or deleted through the ORM, and a transfer of
    the customer, keep it in their transaction (``alerts.summaries``, ``core.summaries``)."""

    center = models.ForeignKey("orgs.OrgUnit", verbose_name=_("理财中心"), on_delete=models.CASCADE, related_name="+")
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("客户经理"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="+")
    maturity_date = models.DateField(_("到期日"))
    n = models.IntegerField(_("笔数"), default=0)
    amount = models.DecimalField(_("金额"), max_digits=20, decimal_places=2, default=Decimal("0"))

    class Meta:
        verbose_name = _("到期持仓汇总")
        verbose_name_plural = _("到期持仓汇总")
        constraints = [models.UniqueConstraint(fields=["maturity_date", "center", "manager"],
                                               name="maturitycount_key_uniq")]
        indexes = [models.Index(fields=["manager", "maturity_date"], name="maturitycount_manager_idx")]

    def __str__(self) -> str:
        return f"{self.center_id}/{self.manager_id}/{self.maturity_date}: {self.n}, {self.amount}"
