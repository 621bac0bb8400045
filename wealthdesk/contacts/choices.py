from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactKind(models.TextChoices):
    """How the customer was reached (R27 《会面/电话/邮寄客户维护记录表》, plus "other" such as WeChat)."""

    MEETING = "meeting", _("会面")
    PHONE = "phone", _("电话")
    MAIL = "mail", _("邮寄")
    OTHER = "other", _("其他（微信等）")


class AppointmentStatus(models.TextChoices):
    PLANNED = "planned", _("已预约")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")
