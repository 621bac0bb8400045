"""The six semiannual analyses of R36."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class AnalysisKind(models.TextChoices):
    CONTRIBUTION = "contribution", _("客户贡献度分析")
    PRODUCTS = "products", _("产品使用偏好分析")
    CHANNELS = "channels", _("渠道使用偏好分析")
    INVESTMENT = "investment", _("投资偏好分析")
    GROUPS = "groups", _("客户群体分析")
    RISK = "risk", _("客户风险分析")
