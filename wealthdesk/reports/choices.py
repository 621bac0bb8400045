"""Choices of the reports app: the kinds of report (R18, R19, R24, R31, R35) and the R19 topic's state."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKindChoice(models.TextChoices):
    MONTHLY = "cm_monthly", _("客户与市场月度报告")
    SEMIANNUAL = "cm_semiannual", _("客户与市场半年度分析报告")
    NEEDS_QUARTERLY = "needs_quarterly", _("客户需求季度分析")
    COMPLAINTS_MONTHLY = "complaints_monthly", _("客户投诉月统计")
    OPERATING = "operating", _("网点运营状况报告")
    OPERATING_QUARTERLY = "operating_quarterly", _("网点运营状况季度报告")


class TopicStatus(models.TextChoices):
    NONE = "", _("无需选题")
    PROPOSED = "proposed", _("选题待批准")
    APPROVED = "approved", _("选题已批准")
    REJECTED = "rejected", _("选题未批准")
