"""Choices of the complaint record 《投诉记录表》 (R30) and its statistics (R31)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How the complaint reached the bank (R30)."""

    COUNTER = "counter", _("柜面")
    PHONE = "phone", _("电话")
    LETTER = "letter", _("信函")
    ONLINE = "online", _("网络")
    REGULATOR = "regulator", _("监管转办")
    OTHER = "other", _("其他")


class Category(models.TextChoices):
    """What the complaint is about (R30)."""

    ATTITUDE = "attitude", _("服务态度")
    WAITING = "waiting", _("等候时间")
    SUITABILITY = "suitability", _("产品销售及适当性")
    FEES = "fees", _("收费")
    SYSTEM = "system", _("系统或渠道故障")
    OTHER = "other", _("其他")


class Status(models.TextChoices):
    OPEN = "open", _("处理中")
    CLOSED = "closed", _("已办结")


class Outcome(models.TextChoices):
    """How a closed complaint ended (R31 counts by outcome)."""

    RESOLVED = "resolved", _("已解决")
    PARTIAL = "partial", _("部分解决")
    EXPLAINED = "explained", _("解释说明（投诉不成立）")
    WITHDRAWN = "withdrawn", _("客户撤诉")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")
    UNKNOWN = "unknown", _("未回访")


class LogKind(models.TextChoices):
    """One entry of the handling log."""

    ACCEPTED = "accepted", _("受理")
    NOTE = "note", _("处理记录")
    CONTACT = "contact", _("联系客户")
    ASSIGN = "assign", _("变更责任人")
    EXTEND = "extend", _("延长时限")
    ESCALATE = "escalate", _("上报品质管理经理")
    CLOSE = "close", _("办结")
