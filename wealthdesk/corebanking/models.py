"""Core-banking data (R8): products, holdings, daily AUM history, transactions and the import batches that load them.

Fact tables (``DailyBalance``, ``Transaction``) carry no created/updated columns: the ``batch`` row says who loaded
them and when, which keeps hundreds of millions of rows narrow. ``DailyBalance`` is partitioned by month on
PostgreSQL (migration 0002, see ``partitions.py``).
"""
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.models import TimeStampedModel
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import ScopedQuerySet, scope_for

from .choices import (
    BatchStatus,
    Channel,
    CounterpartyKind,
    Direction,
    FollowupStatus,
    ImportKind,
    ProductKind,
    ProductRisk,
)


class ImportBatchQuerySet(ScopedQuerySet):
    """Batches are seen in the loader's unit subtree; head-office import staff see every batch (R8, R29)."""

    scope_unit_field = "unit"
    scope_owner_field = "created_by"

    def visible_to(self, user):
        if scope_for(user).has(Role.HQ_SERVICE):
            return self.all()
        return super().visible_to(user)


class ImportBatch(TimeStampedModel):
    """One load of one file (R8): what, from which file (content hash), counts, every rejected row, and status."""

    kind = models.CharField(_("数据类型"), max_length=16, choices=ImportKind.choices)
    file_name = models.CharField(_("文件名"), max_length=200)
    content_hash = models.CharField(_("内容摘要"), max_length=64, db_index=True)
    as_of = models.DateField(_("数据日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=BatchStatus.choices, default=BatchStatus.LOADED)
    skip_bad_rows = models.BooleanField(_("跳过错误行"), default=False)
    rows_total = models.PositiveIntegerField(_("总行数"), default=0)
    rows_loaded = models.PositiveIntegerField(_("导入行数"), default=0)
    rows_skipped = models.PositiveIntegerField(_("已存在跳过行数"), default=0)
    rows_rejected = models.PositiveIntegerField(_("拒绝行数"), default=0)
    errors = models.JSONField(_("错误明细"), default=list, blank=True)
    reject_file = models.TextField(_("拒绝行文件"), blank=True)
    loaded_keys = models.JSONField(_("新建记录编号"), default=list, blank=True)
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("导入机构"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    rolled_back_at = models.DateTimeField(_("回滚时间"), null=True, blank=True)
    rolled_back_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("回滚人"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("来源"), max_length=32, blank=True)
    followup_status = models.CharField(_("后续处理"), max_length=8, choices=FollowupStatus.choices, blank=True,
                                       default=FollowupStatus.NONE,
                                       help_text=_("导入后的级别重算与预警扫描；失败时可重新执行。"))
    followup_error = models.CharField(_("后续处理错误"), max_length=500, blank=True)
    followup_at = models.DateTimeField(_("后续处理时间"), null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "content_hash"], condition=Q(status="loaded"),
                                    name="importbatch_loaded_hash_uniq"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} {self.file_name}"


class Product(TimeStampedModel):
    """A product the bank sells or keeps: deposits, 理财产品 (risk R1–R5, term, maturity), funds, insurance…"""

    code = models.CharField(_("产品代码"), max_length=32, unique=True)
    name = models.CharField(_("产品名称"), max_length=100)
    kind = models.CharField(_("产品类型"), max_length=16, choices=ProductKind.choices, db_index=True)
    risk_level = models.CharField(_("风险等级"), max_length=2, choices=ProductRisk.choices, blank=True)
    term_days = models.PositiveIntegerField(_("期限（天）"), null=True, blank=True)
    maturity_date = models.DateField(_("到期日"), null=True, blank=True)
    issuer = models.CharField(_("发行机构"), max_length=100, blank=True)
    is_active = models.BooleanField(_("在售"), default=True)
    batch = models.ForeignKey(ImportBatch, verbose_name=_("导入批次"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("产品")
        verbose_name_plural = _("产品")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class CustomerDataQuerySet(ScopedQuerySet):
    """Rows about a customer follow the customer's scope (DESIGN rule 1)."""

    scope_unit_field = "customer__center"
    scope_owner_field = "customer__client_manager"


class HoldingQuerySet(CustomerDataQuerySet):
    def maturing(self, start, end):
        return self.filter(maturity_date__gte=start, maturity_date__lte=end)


class Holding(TimeStampedModel):
    """A customer's position in one product on one account, with start and maturity dates (R8, 到期提醒)."""

    customer = models.ForeignKey("customers.Customer", verbose_name=_("客户"), on_delete=models.CASCADE,
                                 related_name="holdings")
    product = models.ForeignKey(Product, verbose_name=_("产品"), on_delete=models.PROTECT, related_name="holdings")
    account_no = models.CharField(_("账号"), max_length=32)
    amount = models.DecimalField(_("持有金额"), max_digits=18, decimal_places=2)
    start_date = models.DateField(_("起始日"))
    maturity_date = models.DateField(_("到期日"), null=True, blank=True)
    batch = models.ForeignKey(ImportBatch, verbose_name=_("导入批次"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")

    objects = HoldingQuerySet.as_manager()

    class Meta:
        verbose_name = _("持仓")
        verbose_name_plural = _("持仓")
        ordering = ["maturity_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["account_no", "product"], name="holding_account_product_uniq"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="holding_amount_nonneg"),
        ]
        indexes = [
            models.Index(fields=["maturity_date"], name="holding_maturity_idx"),
            models.Index(fields=["customer", "product"], name="holding_customer_product_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.product_id} {self.amount}"


class DailyBalance(models.Model):
    """A customer's assets under management at the end of one day (R2, R6): one row per (customer, as_of).

    The primary key is (customer_id, as_of) so that on PostgreSQL the table can be partitioned by month
    (a partitioned table's key must contain the partition key). Loads insert with ON CONFLICT DO NOTHING.
    """

    pk = models.CompositePrimaryKey("customer_id", "as_of")
    customer = models.ForeignKey("customers.Customer", verbose_name=_("客户"), on_delete=models.DO_NOTHING,
                                 db_constraint=False, db_index=False, related_name="balances")
    as_of = models.DateField(_("日期"))
    aum = models.DecimalField(_("资产余额"), max_digits=18, decimal_places=2)
    batch = models.ForeignKey(ImportBatch, verbose_name=_("导入批次"), null=True, blank=True,
                              on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+")

    objects = CustomerDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("日终资产余额")
        verbose_name_plural = _("日终资产余额")
        ordering = ["customer_id", "as_of"]
        indexes = [
            models.Index(fields=["as_of"], name="dailybalance_as_of_idx"),
            models.Index(fields=["batch"], name="dailybalance_batch_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.as_of} {self.aum}"


class Transaction(models.Model):
    """One movement of a customer's money from the core system (R6, R8); ``external_id`` is the natural key."""

    external_id = models.CharField(_("流水号"), max_length=40, unique=True)
    customer = models.ForeignKey("customers.Customer", verbose_name=_("客户"), on_delete=models.CASCADE,
                                 related_name="transactions")
    account_no = models.CharField(_("账号"), max_length=32)
    occurred_at = models.DateTimeField(_("交易时间"))
    amount = models.DecimalField(_("金额"), max_digits=18, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])
    direction = models.CharField(_("方向"), max_length=3, choices=Direction.choices)
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    counterparty_kind = models.CharField(_("对手方类型"), max_length=16, choices=CounterpartyKind.choices)
    product = models.ForeignKey(Product, verbose_name=_("产品"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="transactions")
    batch = models.ForeignKey(ImportBatch, verbose_name=_("导入批次"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")

    objects = CustomerDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("交易流水")
        verbose_name_plural = _("交易流水")
        ordering = ["-occurred_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="transaction_amount_positive")]
        indexes = [
            models.Index(fields=["customer", "occurred_at"], name="transaction_customer_time_idx"),
            models.Index(fields=["occurred_at"], name="transaction_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.external_id} {self.get_direction_display()} {self.amount}"
