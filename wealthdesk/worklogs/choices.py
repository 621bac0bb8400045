from django.db import models
from django.utils.translation import gettext_lazy as _


class LogStatus(models.TextChoices):
    """A daily log is a draft until submitted; submitted logs are read-only until the reviewer reopens them."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    REVIEWED = "reviewed", _("已批阅")
    REOPENED = "reopened", _("退回修改")


EDITABLE_STATUSES = (LogStatus.DRAFT, LogStatus.REOPENED)


class HelpStatus(models.TextChoices):
    """A "help needed" item from a daily log (R9); the escalation feature (R12) picks up open ones."""

    OPEN = "open", _("待处理")
    IN_PROGRESS = "in_progress", _("处理中")
    ESCALATED = "escalated", _("已上报")
    RESOLVED = "resolved", _("已解决")


class DebriefMode(models.TextChoices):
    FACE = "face", _("当面汇报")
    PHONE = "phone", _("电话汇报")
