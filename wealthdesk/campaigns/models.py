"""Targeted campaigns (R25) planned from the analyses (R39): the saved customer filter (segment), the plan and its
workflow, the call list with its random holdout, and the feedback with the figures the system computed."""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.concurrency import VersionedModel
from wealthdesk.core.models import TimeStampedModel
from wealthdesk.core.roles import Reach
from wealthdesk.core.scoping import ScopedQuerySet, unit_subtree_q
from wealthdesk.corebanking.choices import ProductKind
from wealthdesk.customers.choices import RiskLevel, Tier

from .choices import CallStatus, CampaignStatus, Grade, ProductHeld, Scale


class CenterScopedQuerySet(ScopedQuerySet):
    """A center's head and the upper levels see the center's rows by subtree; the center's team leads see their
    center's rows; a client manager sees the rows of campaigns they staff or have customers in."""

    scope_unit_field = "center"
    scope_owner_field = None

    def scope_q(self, scope):
        if scope.reach >= Reach.SUBTREE and scope.unit_path:
            return unit_subtree_q(scope.unit_path, self.scope_unit_field)
        if scope.reach >= Reach.TEAM and scope.unit_id:
            return Q(center_id=scope.unit_id)
        return None


class Segment(TimeStampedModel):
    """A saved customer filter of one center (R25 目标客户群): every criterion left empty means "any".

    Resolved set-based by ``selectors.segment_customers`` through ``Customer.objects.visible_to``, always within
    ``center``."""

    center = models.ForeignKey("orgs.OrgUnit", verbose_name=_("理财中心"), on_delete=models.PROTECT,
                               related_name="+")
    name = models.CharField(_("客户群名称"), max_length=80)
    tiers = models.JSONField(_("客户级别"), default=list, blank=True)
    aum_min = models.DecimalField(_("资产下限（元）"), max_digits=18, decimal_places=2, null=True, blank=True,
                                  validators=[MinValueValidator(0)])
    aum_max = models.DecimalField(_("资产上限（元）"), max_digits=18, decimal_places=2, null=True, blank=True,
                                  validators=[MinValueValidator(0)])
    product_kind = models.CharField(_("产品类型"), max_length=16, choices=ProductKind.choices, blank=True)
    product_held = models.CharField(_("是否持有该类产品"), max_length=8, choices=ProductHeld.choices, blank=True)
    maturity_from = models.DateField(_("产品到期日起"), null=True, blank=True)
    maturity_to = models.DateField(_("产品到期日止"), null=True, blank=True)
    risk_levels = models.JSONField(_("风险承受能力"), default=list, blank=True)
    age_min = models.PositiveSmallIntegerField(_("年龄下限"), null=True, blank=True,
                                               validators=[MaxValueValidator(120)])
    age_max = models.PositiveSmallIntegerField(_("年龄上限"), null=True, blank=True,
                                               validators=[MaxValueValidator(120)])
    last_contact_before = models.DateField(_("最近联系早于"), null=True, blank=True)

    objects = CenterScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("目标客户群")
        verbose_name_plural = _("目标客户群")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(aum_min__isnull=True) | Q(aum_max__isnull=True)
                                   | Q(aum_min__lte=models.F("aum_max")), name="segment_aum_band_ordered"),
            models.CheckConstraint(condition=Q(age_min__isnull=True) | Q(age_max__isnull=True)
                                   | Q(age_min__lte=models.F("age_max")), name="segment_age_band_ordered"),
        ]

    def __str__(self) -> str:
        return self.name

    def tier_labels(self) -> list[str]:
        return [str(Tier(t).label) for t in self.tiers if t in Tier.values]

    def risk_labels(self) -> list[str]:
        return [str(RiskLevel(r).label) for r in self.risk_levels if r in RiskLevel.values]


class CampaignQuerySet(CenterScopedQuerySet):
    def scope_q(self, scope):
        q = super().scope_q(scope)
        if q is not None:
            return q
        if scope.reach >= Reach.OWN and scope.user_id:
            return Q(pk__in=CampaignMember.objects.filter(client_manager_id=scope.user_id).values("campaign_id")) \
                | Q(pk__in=Campaign.staff.through.objects.filter(user_id=scope.user_id).values("campaign_id"))
        return None


class Campaign(VersionedModel, TimeStampedModel):
    """One campaign plan of a center (R25, R39): before — theme, content, products, target group, goals, budget,
    staff and dates, guided by the needs analysis and market reports (``reports``); after — the feedback (money
    spent, staffing, lessons), the figures the system computed (``results``, frozen at feedback) and the head's
    evaluation."""

    center = models.ForeignKey("orgs.OrgUnit", verbose_name=_("理财中心"), on_delete=models.PROTECT,
                               related_name="campaigns")
    scale = models.CharField(_("活动规模"), max_length=8, choices=Scale.choices)
    theme = models.CharField(_("活动主题"), max_length=120)
    content = models.TextField(_("活动内容"))
    product_kinds = models.JSONField(_("推介产品类型"), default=list, blank=True)
    products_note = models.CharField(_("推介产品说明"), max_length=200, blank=True)
    segment = models.ForeignKey(Segment, verbose_name=_("目标客户群"), on_delete=models.PROTECT,
                                related_name="campaigns")
    goal_reached = models.PositiveIntegerField(_("目标：联系客户数"))
    goal_conversions = models.PositiveIntegerField(_("目标：成交客户数"))
    goal_aum = models.DecimalField(_("目标：新增资产（元）"), max_digits=18, decimal_places=2,
                                   validators=[MinValueValidator(0)])
    budget = models.DecimalField(_("预算（元）"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("参与人员"), blank=True,
                                   related_name="campaigns")
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    event_on = models.DateField(_("活动（沙龙/讲座）日期"), null=True, blank=True)
    reports = models.ManyToManyField("reports.Report", verbose_name=_("依据的需求分析/市场报告"), blank=True,
                                     related_name="+")
    status = models.CharField(_("状态"), max_length=12, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT,
                              db_index=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    return_reason = models.TextField(_("退回原因"), blank=True)
    holdout_share = models.DecimalField(_("对照组比例"), max_digits=4, decimal_places=3, null=True, blank=True)
    holdout_seed = models.CharField(_("对照组抽样种子"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("启动时间"), null=True, blank=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    spent = models.DecimalField(_("实际花费（元）"), max_digits=14, decimal_places=2, null=True, blank=True,
                                validators=[MinValueValidator(0)])
    staffing_note = models.TextField(_("人员投入情况"), blank=True)
    lessons = models.TextField(_("经验与改进"), blank=True)
    results = models.JSONField(_("系统计算的活动效果"), default=dict, blank=True)
    feedback_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    feedback_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("反馈人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(_("评价等级"), max_length=12, choices=Grade.choices, blank=True)
    evaluation = models.TextField(_("负责人评价"), blank=True)
    evaluated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评价人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("定向营销活动")
        verbose_name_plural = _("定向营销活动")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["center", "starts_on"], name="campaign_center_start_idx"),
                   # The list's order at the upper levels (issue 16): the newest first without sorting them all.
                   models.Index(fields=["-starts_on", "-id"], name="campaign_start_id_desc_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_dates_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.theme}（{self.get_scale_display()}）"

    def product_kind_labels(self) -> list[str]:
        return [str(ProductKind(k).label) for k in self.product_kinds if k in ProductKind.values]


class MemberQuerySet(ScopedQuerySet):
    """A call-list row follows its customer's client manager (own, team) and the campaign's center (subtree)."""

    scope_unit_field = "campaign__center"
    scope_owner_field = "client_manager"


class CampaignMember(TimeStampedModel):
    """One customer of a running campaign's call list. ``is_holdout`` rows are the random control group: they are
    not contacted, so the campaign's effect is measured against them (R25 feedback). ``aum_at_start`` is the
    customer's AUM when the list was made; ``converted`` and ``aum_gain`` are set when the feedback is computed."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("营销活动"), on_delete=models.CASCADE,
                                 related_name="members")
    customer = models.ForeignKey("customers.Customer", verbose_name=_("客户"), on_delete=models.PROTECT,
                                 related_name="+")
    client_manager = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("客户经理"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="campaign_calls")
    is_holdout = models.BooleanField(_("对照组（不联系）"), default=False)
    aum_at_start = models.DecimalField(_("启动时资产（元）"), max_digits=18, decimal_places=2, default=0)
    call_status = models.CharField(_("联系结果"), max_length=12, choices=CallStatus.choices,
                                   default=CallStatus.PENDING)
    contact = models.ForeignKey("contacts.ContactRecord", verbose_name=_("联系记录"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    contacted_at = models.DateTimeField(_("联系时间"), null=True, blank=True)
    invited = models.BooleanField(_("已邀请参加活动"), default=False)
    attended = models.BooleanField(_("已到场"), default=False)
    converted = models.BooleanField(_("已成交"), default=False)
    aum_gain = models.DecimalField(_("资产增加（元）"), max_digits=18, decimal_places=2, null=True, blank=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("营销活动客户名单")
        verbose_name_plural = _("营销活动客户名单")
        ordering = ["campaign", "is_holdout", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "customer"], name="campaign_member_uniq"),
            models.CheckConstraint(condition=Q(is_holdout=False) | Q(call_status="pending"),
                                   name="campaign_holdout_not_called"),
            models.CheckConstraint(condition=Q(attended=False) | Q(invited=True), name="campaign_attended_invited"),
        ]
        indexes = [
            models.Index(fields=["client_manager", "campaign"], name="campaign_member_cm_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} #{self.customer_id}"
