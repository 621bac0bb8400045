"""Choices of targeted campaigns (R25, R39): scale, workflow states, call outcomes, evaluation grades."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scale(models.TextChoices):
    """R25 counts small targeted campaigns and large marketing campaigns separately."""

    SMALL = "small", _("小型定向营销活动")
    LARGE = "large", _("大型营销活动")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审批")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已批准")
    RUNNING = "running", _("执行中")
    ENDED = "ended", _("已结束")
    EVALUATED = "evaluated", _("已评价")


# States that count toward the yearly quota (R25): the head has approved the plan.
QUOTA_STATUSES = (CampaignStatus.APPROVED, CampaignStatus.RUNNING, CampaignStatus.ENDED, CampaignStatus.EVALUATED)
EDITABLE_STATUSES = (CampaignStatus.DRAFT, CampaignStatus.RETURNED)


class ProductHeld(models.TextChoices):
    ANY = "", _("不限")
    HELD = "held", _("持有")
    NOT_HELD = "not_held", _("未持有")


class CallStatus(models.TextChoices):
    PENDING = "pending", _("待联系")
    CONTACTED = "contacted", _("已联系")
    INTERESTED = "interested", _("有意向")
    DECLINED = "declined", _("无意向")
    UNREACHABLE = "unreachable", _("未联系上")


# Outcomes a client manager records on a call (every one but "pending").
CALL_OUTCOMES = (CallStatus.CONTACTED, CallStatus.INTERESTED, CallStatus.DECLINED, CallStatus.UNREACHABLE)
REACHED = (CallStatus.CONTACTED, CallStatus.INTERESTED, CallStatus.DECLINED)


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    FAIR = "fair", _("一般")
    POOR = "poor", _("较差")
