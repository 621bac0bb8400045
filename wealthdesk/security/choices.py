from django.db import models
from django.utils.translation import gettext_lazy as _


class AlertKind(models.TextChoices):
    MANY_CUSTOMERS = "many_customers", _("单日查看客户过多")
    REVEAL_CAP = "reveal_cap", _("查看明文超过上限")
    OFF_HOURS_EXPORT = "off_hours_export", _("非工作时间导出")
    FAILED_LOGINS = "failed_logins", _("多地址登录失败")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    CLOSED = "closed", _("已处理")
