"""Premium-customer referrals (R16, 《推介优质客户信息记录表》) and each center's assignment rule."""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.concurrency import VersionedModel
from wealthdesk.core.fields import BlindIndexField, EncryptedCharField, EncryptedModelMixin
from wealthdesk.core.models import TimeStampedModel
from wealthdesk.core.roles import FRONT_DESK
from wealthdesk.core.scoping import ScopedQuerySet, scope_for
from wealthdesk.customers.choices import Tier

from .choices import (
    OPEN_STATUSES,
    PENDING_STATUSES,
    AssignmentMethod,
    AssignmentRule,
    ConversionSource,
    Position,
    ReferralStatus,
    Signal,
    Urgency,
)


class ReferralQuerySet(ScopedQuerySet):
    """Who sees which referral (DESIGN rule 1).

    The referrer sees only the referrals they made (tellers and lobby managers have no customer reach);
    a client manager the referrals assigned to them; a team lead the team's; the center head and upper
    levels their subtree (by the handling center).
    """

    scope_unit_field = "center"
    scope_owner_field = "assigned_to"

    def scope_q(self, scope):
        q = super().scope_q(scope)
        if scope.user_id and scope.has(*FRONT_DESK):
            own = Q(referrer_id=scope.user_id)
            q = own if q is None else (q | own)
        return q

    def visible_to(self, user) -> ReferralQuerySet:
        q = self.scope_q(scope_for(user))
        return self.none() if q is None else self.filter(q)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today):
        """Not followed up (not yet contacted) after the due date (R16)."""
        return self.filter(status__in=PENDING_STATUSES, needs_follow_up=True, due_on__lt=today)


class Referral(EncryptedModelMixin, VersionedModel, TimeStampedModel):
    """One referral of a (possible) premium customer by a teller or lobby manager to a client manager (R16).

    A known customer is linked (found by exact ID number or mobile); a prospect keeps only the name and
    mobile the referrer typed. Tier and AUM are snapshotted so conversion (R17 quality) can be measured.
    """

    referrer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("推介人"), on_delete=models.PROTECT,
                                 related_name="referrals_made")
    referrer_position = models.CharField(_("推介人岗位"), max_length=32, choices=Position.choices, db_index=True)
    referrer_unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("推介机构"), on_delete=models.PROTECT,
                                      related_name="+")
    center = models.ForeignKey("orgs.OrgUnit", verbose_name=_("跟进理财中心"), on_delete=models.PROTECT,
                               related_name="referrals")
    customer = models.ForeignKey("customers.Customer", verbose_name=_("客户"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="referrals")
    customer_label = models.CharField(_("客户（推介人可见）"), max_length=60, blank=True,
                                      help_text=_("已有客户为脱敏姓名，潜在客户为推介人录入的姓名"))
    prospect_name = models.CharField(_("潜在客户姓名"), max_length=60, blank=True)
    prospect_mobile = EncryptedCharField(_("潜在客户手机号"), max_length=11, blank=True)  # encrypted (issue 15)
    prospect_mobile_bidx = BlindIndexField(_("潜在客户手机号检索索引"), source="prospect_mobile", kind="mobile")
    signal = models.CharField(_("发现情况"), max_length=24, choices=Signal.choices)
    need = models.CharField(_("客户需求"), max_length=300, blank=True)
    urgency = models.CharField(_("紧急程度"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    needs_follow_up = models.BooleanField(_("需要跟进"), default=True)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("跟进客户经理"),
                                    on_delete=models.PROTECT, related_name="referrals_assigned")
    assignment_method = models.CharField(_("分配方式"), max_length=16, choices=AssignmentMethod.choices)
    status = models.CharField(_("状态"), max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.NEW,
                              db_index=True)
    referred_on = models.DateField(_("推介日期"), db_index=True)
    due_on = models.DateField(_("跟进截止日"), db_index=True)
    accepted_at = models.DateTimeField(_("接收时间"), null=True, blank=True)
    contacted_at = models.DateTimeField(_("联系时间"), null=True, blank=True)
    contact_note = models.TextField(_("联系情况"), blank=True)
    contact_ref = models.CharField(_("联系记录编号"), max_length=32, blank=True)
    tier_at_referral = models.CharField(_("推介时客户级别"), max_length=16, choices=Tier.choices, blank=True)
    aum_at_referral = models.DecimalField(_("推介时资产余额"), max_digits=18, decimal_places=2, null=True,
                                          blank=True)
    converted_on = models.DateField(_("转化日期"), null=True, blank=True)
    conversion_source = models.CharField(_("转化依据"), max_length=8, choices=ConversionSource.choices, blank=True)
    conversion_amount = models.DecimalField(_("带来资产（元）"), max_digits=18, decimal_places=2, null=True,
                                            blank=True)
    invalid_reason = models.CharField(_("无效原因"), max_length=200, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("优质客户推介")
        verbose_name_plural = _("优质客户推介")
        ordering = ["-referred_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(customer__isnull=False) | ~Q(prospect_name=""),
                                   name="referral_customer_or_prospect"),
            models.CheckConstraint(condition=Q(conversion_amount__isnull=True) | Q(conversion_amount__gte=0),
                                   name="referral_conversion_amount_nonneg"),
            models.CheckConstraint(condition=~Q(status=ReferralStatus.INVALID) | ~Q(invalid_reason=""),
                                   name="referral_invalid_has_reason"),
        ]
        indexes = [
            models.Index(fields=["assigned_to", "status"], name="referral_cm_status_idx"),
            models.Index(fields=["referrer", "referred_on"], name="referral_referrer_day_idx"),
            models.Index(fields=["center", "referred_on"], name="referral_center_day_idx"),
            models.Index(fields=["customer", "referred_on"], name="referral_customer_day_idx"),
        ]

    def __str__(self) -> str:
        return f"推介#{self.pk} {self.customer_label} {self.referred_on:%Y-%m-%d}"

    @property
    def is_prospect(self) -> bool:
        return self.customer_id is None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today) -> bool:
        return self.status in PENDING_STATUSES and self.needs_follow_up and self.due_on < today


class CenterReferralSetting(TimeStampedModel):
    """A center's rule for assigning referrals that have no responsible client manager (R16); the head edits it."""

    center = models.OneToOneField("orgs.OrgUnit", verbose_name=_("理财中心"), on_delete=models.CASCADE,
                                  related_name="referral_setting")
    rule = models.CharField(_("分配规则"), max_length=16, choices=AssignmentRule.choices,
                            default=AssignmentRule.ROUND_ROBIN)
    last_assigned = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上次轮到的客户经理"), null=True,
                                      blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("推介分配规则")
        verbose_name_plural = _("推介分配规则")

    def __str__(self) -> str:
        return f"{self.center} {self.get_rule_display()}"


ZERO = Decimal("0")
