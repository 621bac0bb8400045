"""Choices of the alerts app (R6 large fund movements, R7 tier downgrades)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class AlertKind(models.TextChoices):
    """What an alert is about; every rule has one kind and an alert carries its rule's kind."""

    SINGLE_OUTFLOW = "single_outflow", _("单笔大额转出")
    CUMULATIVE_OUTFLOW = "cumulative_outflow", _("累计净流出")
    OTHER_BANK = "other_bank", _("大额转账至他行")
    TIER_DOWNGRADE = "tier_downgrade", _("客户级别下调")


# Kinds found by the daily scan over transactions and balances (R6); tier downgrades come from the
# tier recomputation (R7) through alerts_open_for_downgrades.
SCANNED_KINDS = (AlertKind.SINGLE_OUTFLOW, AlertKind.CUMULATIVE_OUTFLOW, AlertKind.OTHER_BANK)


class AlertStatus(models.TextChoices):
    NEW = "new", _("待跟进")
    FOLLOWING = "following", _("跟进中")
    CLOSED = "closed", _("已关闭")


OPEN_STATUSES = (AlertStatus.NEW, AlertStatus.FOLLOWING)


class CloseReason(models.TextChoices):
    """Why the money moved (the reason found, R6/R7)."""

    MATURITY = "maturity", _("产品到期或赎回")
    OTHER_BANK = "other_bank", _("转至他行")
    LARGE_PURCHASE = "large_purchase", _("大额消费（购房、购车等）")
    BUSINESS = "business", _("经营需要")
    DISSATISFIED = "dissatisfied", _("对服务不满意")
    OTHER = "other", _("其他")


class NoteKind(models.TextChoices):
    OPENED = "opened", _("生成预警")
    FOLLOW_UP = "follow_up", _("跟进记录")
    CLOSE = "close", _("关闭")
    REVIEW = "review", _("负责人复核")
    REOPEN = "reopen", _("重新打开")


class ReviewState(models.TextChoices):
    """The center head's review of a closure."""

    NONE = "", _("—")
    PENDING = "pending", _("待复核")
    APPROVED = "approved", _("复核通过")
