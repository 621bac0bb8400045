"""Choices of the referral app (R16, R17)."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.roles import Role


class Signal(models.TextChoices):
    """What the referrer noticed at the counter (《推介优质客户信息记录表》)."""

    LARGE_DEPOSIT = "large_deposit", _("大额存款")
    ASKS_INVESTMENT = "asks_investment", _("咨询理财投资")
    MATURING_DEPOSIT = "maturing_deposit", _("定期存款即将到期")
    LARGE_TRANSFER_IN = "large_transfer_in", _("大额资金转入")
    OTHER = "other", _("其他")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")


class LookupKind(models.TextChoices):
    ID_NUMBER = "id_number", _("身份证号码")
    MOBILE = "mobile", _("手机号")


class ReferralStatus(models.TextChoices):
    """The life of a referral: new → accepted → contacted → converted, or invalid with a reason."""

    NEW = "new", _("待接收")
    ACCEPTED = "accepted", _("已接收")
    CONTACTED = "contacted", _("已联系")
    CONVERTED = "converted", _("已转化")
    INVALID = "invalid", _("无效")


OPEN_STATUSES = (ReferralStatus.NEW, ReferralStatus.ACCEPTED, ReferralStatus.CONTACTED)
# Not yet followed up: these count as overdue once the due date has passed (R16, DESIGN rule 5).
PENDING_STATUSES = (ReferralStatus.NEW, ReferralStatus.ACCEPTED)


class AssignmentMethod(models.TextChoices):
    RESPONSIBLE = "responsible", _("客户的负责客户经理")
    ROUND_ROBIN = "round_robin", _("中心规则：轮流分配")
    LEAST_LOADED = "least_loaded", _("中心规则：分配给在办最少者")
    PICKED = "picked", _("推介人指定")


class AssignmentRule(models.TextChoices):
    """A center's rule for referrals without a responsible client manager (editable by the head)."""

    ROUND_ROBIN = "round_robin", _("轮流分配")
    LEAST_LOADED = "least_loaded", _("分配给在办推介最少的客户经理")


class ConversionSource(models.TextChoices):
    TIER = "tier", _("达到优质客户级别（系统计算）")
    AUM = "aum", _("资产增加达到标准（系统计算）")
    MANUAL = "manual", _("客户经理登记")


class Position(models.TextChoices):
    """The referring positions R17 scores (a subset of core.roles.Role)."""

    CASH_TELLER = Role.CASH_TELLER.value, Role.CASH_TELLER.label
    NONCASH_TELLER = Role.NONCASH_TELLER.value, Role.NONCASH_TELLER.label
    LOBBY_MANAGER = Role.LOBBY_MANAGER.value, Role.LOBBY_MANAGER.label
