"""Choices of the core-banking data (R8): product kinds, directions, channels, counterparties, batches."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductKind(models.TextChoices):
    DEPOSIT_CURRENT = "deposit_current", _("活期存款")
    DEPOSIT_TIME = "deposit_time", _("定期存款")
    WMP = "wmp", _("理财产品")
    FUND = "fund", _("基金")
    INSURANCE = "insurance", _("保险")
    BOND = "bond", _("债券")
    METAL = "metal", _("贵金属")
    THIRD_PARTY = "third_party", _("第三方产品")


DEPOSIT_KINDS = (ProductKind.DEPOSIT_CURRENT, ProductKind.DEPOSIT_TIME)
# Kinds whose purchases count as "产品销售额" (metric sales_amount).
SALES_KINDS = (ProductKind.WMP, ProductKind.FUND, ProductKind.INSURANCE, ProductKind.BOND, ProductKind.METAL)


class ProductRisk(models.TextChoices):
    R1 = "R1", _("R1 低风险")
    R2 = "R2", _("R2 中低风险")
    R3 = "R3", _("R3 中风险")
    R4 = "R4", _("R4 中高风险")
    R5 = "R5", _("R5 高风险")


class Direction(models.TextChoices):
    IN = "in", _("转入")
    OUT = "out", _("转出")


class Channel(models.TextChoices):
    COUNTER = "counter", _("柜面")
    ATM = "atm", _("ATM")
    ONLINE = "online", _("网上银行")
    MOBILE = "mobile", _("手机银行")
    PHONE = "phone", _("电话银行")
    THIRD_PARTY = "third_party", _("第三方")


class CounterpartyKind(models.TextChoices):
    OWN_BANK = "own_bank", _("本行")
    OTHER_BANK = "other_bank", _("他行")
    SECURITIES = "securities", _("证券")
    CASH = "cash", _("现金")


class ImportKind(models.TextChoices):
    CUSTOMERS = "customers", _("客户")
    PRODUCTS = "products", _("产品")
    HOLDINGS = "holdings", _("持仓")
    BALANCES = "balances", _("日终资产余额")
    TRANSACTIONS = "transactions", _("交易流水")


class BatchStatus(models.TextChoices):
    LOADED = "loaded", _("已导入")
    REJECTED = "rejected", _("已拒绝")
    ROLLED_BACK = "rolled_back", _("已回滚")


class FollowupStatus(models.TextChoices):
    """What became of the derived work after a load (AUM and tiers, downgrade alerts, the large-movement scan)."""

    NONE = "", _("无")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败，可重新执行")
