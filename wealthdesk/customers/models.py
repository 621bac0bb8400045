"""Customer master (R2, R3): identity, tier with history, risk tolerance, responsible client manager."""
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.audit import AuditedUpdateQuerySet
from wealthdesk.core.concurrency import VersionedModel
from wealthdesk.core.fields import BlindIndexField, EncryptedCharField, EncryptedModelMixin, MobileTailField
from wealthdesk.core.models import TimeStampedModel
from wealthdesk.core.scoping import ScopedQuerySet
from wealthdesk.core.validators import validate_mainland_id, validate_mobile

from .choices import CustomerStatus, Gender, IdType, RiskLevel, Tier, TierChangeSource


class CustomerQuerySet(AuditedUpdateQuerySet, ScopedQuerySet):
    """Client manager: own customers; team lead: the team's; head and above: their subtree (DESIGN rule 1).

    Bulk changes go through ``core.audit.audited_update``; customers are never deleted (status 已销户 instead),
    enforced below the ORM on PostgreSQL by a trigger (migration 0006)."""

    scope_unit_field = "center"
    scope_owner_field = "client_manager"

    def premium(self):
        return self.exclude(tier=Tier.ORDINARY)


class Customer(EncryptedModelMixin, VersionedModel, TimeStampedModel):
    """A bank customer, owned by one responsible client manager in one center (R3).

    ID number, mobile and address are encrypted at rest (issue 15, ``core.fieldcrypto``); exact searches by ID
    number or mobile use the blind indexes ``id_number_bidx`` / ``mobile_bidx``, the list's search by the last
    digits uses ``mobile_tail``."""

    cif_no = models.CharField(_("客户号"), max_length=32, unique=True)
    name = models.CharField(_("姓名"), max_length=60)  # searched with contains: a btree would not help
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    id_type = models.CharField(_("证件类型"), max_length=16, choices=IdType.choices, default=IdType.MAINLAND_ID)
    id_number = EncryptedCharField(_("证件号码"), max_length=32)
    mobile = EncryptedCharField(_("手机号"), max_length=11, blank=True, validators=[validate_mobile])
    address = EncryptedCharField(_("地址"), max_length=200, blank=True)
    id_number_bidx = BlindIndexField(_("证件号码检索索引"), source="id_number", kind="id_number")
    mobile_bidx = BlindIndexField(_("手机号检索索引"), source="mobile", kind="mobile", db_index=True)
    mobile_tail = MobileTailField(_("手机尾号"), source="mobile", db_index=True)
    occupation = models.CharField(_("职业"), max_length=60, blank=True)
    tier = models.CharField(_("客户级别"), max_length=16, choices=Tier.choices, default=Tier.ORDINARY)
    risk_level = models.CharField(_("风险承受能力"), max_length=2, choices=RiskLevel.choices, blank=True)
    client_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("客户经理"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="customers", db_index=False,  # customer_cm_tier_idx leads with it
    )
    center = models.ForeignKey("orgs.OrgUnit", verbose_name=_("所属理财中心"), on_delete=models.PROTECT,
                               related_name="customers", db_index=False)  # customer_center_tier_idx leads with it
    status = models.CharField(_("状态"), max_length=16, choices=CustomerStatus.choices, default=CustomerStatus.ACTIVE)
    aum = models.DecimalField(_("资产余额"), max_digits=18, decimal_places=2, default=Decimal("0"))
    aum_avg = models.DecimalField(_("月日均资产"), max_digits=18, decimal_places=2, default=Decimal("0"))
    aum_as_of = models.DateField(_("资产日期"), null=True, blank=True)

    objects = CustomerQuerySet.as_manager()

    def delete(self, *args, **kwargs):
        raise PermissionError("customers are never deleted: close them (status) instead")

    class Meta:
        # Indexes are few on purpose: the AUM columns are rewritten for every customer after each daily load (R2),
        # and every index makes that rewrite dearer. The name search (contains) cannot use a btree: on PostgreSQL it
        # uses the trigram index of migration 0009 (kept out of the model state: no GIN on SQLite). The mobile is
        # encrypted: its exact match uses mobile_bidx, the search by the last four digits mobile_tail.
        verbose_name = _("客户")
        verbose_name_plural = _("客户")
        ordering = ["-aum_avg", "id"]
        constraints = [
            models.UniqueConstraint(fields=["id_type", "id_number_bidx"], name="customer_id_type_number_uniq"),
        ]
        indexes = [
            models.Index(fields=["center", "tier"], name="customer_center_tier_idx"),
            models.Index(fields=["client_manager", "tier"], name="customer_cm_tier_idx"),
            # The list's orders (issue 16, keyset pages): the first and the 200th page walk these, at every level.
            # The AUM one costs the daily refresh its HOT updates — measured and decided in bench/README.md.
            models.Index(fields=["-aum_avg", "id"], name="customer_aum_avg_id_idx"),
            models.Index(fields=["name", "id"], name="customer_name_id_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.cif_no}）"

    def clean(self):
        errors = {}
        if self.id_type == IdType.MAINLAND_ID and self.id_number:
            self.id_number = self.id_number.strip().upper()
            try:
                validate_mainland_id(self.id_number)
            except ValidationError as exc:
                errors["id_number"] = exc.messages
        if self.client_manager_id and self.center_id and self.client_manager.unit_id != self.center_id:
            errors["client_manager"] = [_("客户经理必须属于客户所在的理财中心。")]
        if errors:
            raise ValidationError(errors)

    @property
    def is_premium(self) -> bool:
        return self.tier != Tier.ORDINARY


class TierThreshold(TimeStampedModel):
    """The minimum average daily AUM (月日均) for a tier (R2); head office edits these."""

    tier = models.CharField(_("客户级别"), max_length=16, choices=Tier.choices, unique=True)
    min_aum = models.DecimalField(_("月日均资产下限（元）"), max_digits=18, decimal_places=2,
                                  validators=[MinValueValidator(Decimal("0"))])

    class Meta:
        verbose_name = _("客户级别标准")
        verbose_name_plural = _("客户级别标准")
        ordering = ["-min_aum"]

    def __str__(self) -> str:
        return f"{self.get_tier_display()} ≥ {self.min_aum:,.2f}"


DEFAULT_THRESHOLDS = {Tier.PRIVATE: Decimal("6000000"), Tier.CORE: Decimal("1000000"), Tier.PREMIUM: Decimal("200000")}


class TierHistoryQuerySet(ScopedQuerySet):
    scope_unit_field = "customer__center"
    scope_owner_field = "customer__client_manager"

    def downgrades(self):
        """Rows that move a customer to a lower tier (R7)."""
        from .choices import TIER_RANK

        q = models.Q(pk__in=[])
        for high, high_rank in TIER_RANK.items():
            lower = [t for t, r in TIER_RANK.items() if r < high_rank]
            if lower:
                q |= models.Q(from_tier=high, to_tier__in=lower)
        return self.filter(q)


class TierHistory(models.Model):
    """A change of a customer's tier: from, to, when, why (R2; downgrades feed R7 alerts)."""

    customer = models.ForeignKey(Customer, verbose_name=_("客户"), on_delete=models.CASCADE,
                                 related_name="tier_history")
    from_tier = models.CharField(_("原级别"), max_length=16, choices=Tier.choices, blank=True)
    to_tier = models.CharField(_("新级别"), max_length=16, choices=Tier.choices)
    changed_on = models.DateField(_("变更日期"), db_index=True)
    aum_avg = models.DecimalField(_("月日均资产"), max_digits=18, decimal_places=2, null=True, blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=TierChangeSource.choices,
                              default=TierChangeSource.RECOMPUTE)
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = TierHistoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("客户级别变更")
        verbose_name_plural = _("客户级别变更")
        ordering = ["-changed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.from_tier}→{self.to_tier} {self.changed_on}"

    @property
    def is_downgrade(self) -> bool:
        from .choices import TIER_RANK

        return bool(self.from_tier) and TIER_RANK[self.to_tier] < TIER_RANK[self.from_tier]


class ManagerAssignmentQuerySet(ScopedQuerySet):
    scope_unit_field = "customer__center"
    scope_owner_field = "customer__client_manager"


class ManagerAssignment(models.Model):
    """One change of a customer's responsible client manager (R3): from whom, to whom, when, by whom, why.

    Written by ``customer_create`` (the first manager) and the reassignment services; shown on the customer page.
    """

    customer = models.ForeignKey(Customer, verbose_name=_("客户"), on_delete=models.CASCADE,
                                 related_name="manager_history")
    from_manager = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("原客户经理"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    to_manager = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("新客户经理"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(_("变更时间"), auto_now_add=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    batch = models.CharField(_("批次"), max_length=32, blank=True, help_text=_("同一次批量移交的记录共用一个批次号"))

    objects = ManagerAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("客户经理变更")
        verbose_name_plural = _("客户经理变更")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["customer", "-changed_at"], name="assignment_customer_idx")]

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.from_manager_id}→{self.to_manager_id}"


class CustomerCountQuerySet(ScopedQuerySet):
    scope_unit_field = "center"
    scope_owner_field = "manager"


class CustomerCount(models.Model):
    """Maintained summary (issue 16): customers and their AUM per center, client manager, tier and status.

    Kept current by the customer services in their transaction (``customers.summaries``, ``core.summaries``):
    create, tier change, edit of the status, transfer to another manager; the AUM sums by the daily balance load
    (rebuilt). Feeds the home panels' tier counts, the orgs page and the dashboards' customer figures. Readers
    always sum (a key may have more than one row when a client manager is empty)."""

    center = models.ForeignKey("orgs.OrgUnit", verbose_name=_("理财中心"), on_delete=models.CASCADE, related_name="+")
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("客户经理"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="+")
    tier = models.CharField(_("客户级别"), max_length=16, choices=Tier.choices)
    status = models.CharField(_("状态"), max_length=16, choices=CustomerStatus.choices)
    n = models.IntegerField(_("客户数"), default=0)
    aum = models.DecimalField(_("资产余额"), max_digits=20, decimal_places=2, default=Decimal("0"))

    objects = CustomerCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("客户数汇总")
        verbose_name_plural = _("客户数汇总")
        constraints = [models.UniqueConstraint(fields=["center", "manager", "tier", "status"],
                                               name="customercount_key_uniq")]
        indexes = [models.Index(fields=["manager", "tier"], name="customercount_manager_idx")]

    def __str__(self) -> str:
        return f"{self.center_id}/{self.manager_id}/{self.tier}/{self.status}: {self.n}"


class TierChangeCount(models.Model):
    """Maintained summary (issue 16): tier changes per center and client manager of the customer (now), day and
    direction (``up`` / ``down`` by the tiers' rank; a first tier or a change within a rank is neither). The
    dashboards' tier-change figures (R1, R2) are one grouped query over it. Kept by every save of a tier history
    row and by the recomputation's bulk insert, in their transaction; a transfer moves the customer's rows
    (``customers.summaries``, ``core.summaries``)."""

    center = models.ForeignKey("orgs.OrgUnit", verbose_name=_("理财中心"), on_delete=models.CASCADE, related_name="+")
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("客户经理"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("变更日期"))
    direction = models.CharField(_("方向"), max_length=8)
    n = models.IntegerField(_("变更次数"), default=0)

    objects = CustomerCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("客户级别变动汇总")
        verbose_name_plural = _("客户级别变动汇总")
        constraints = [models.UniqueConstraint(fields=["day", "center", "manager", "direction"],
                                               name="tierchangecount_key_uniq")]
        indexes = [models.Index(fields=["manager", "day"], name="tierchangecount_manager_idx")]

    def __str__(self) -> str:
        return f"{self.center_id}/{self.manager_id}/{self.day}/{self.direction}: {self.n}"
