"""Choices of the customer archive (R29)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentType(models.TextChoices):
    SIGNED_FORM = "signed_form", _("签署的表单")
    RISK_ASSESSMENT = "risk_assessment", _("风险评估")
    ID_COPY = "id_copy", _("身份证件复印件")
    CONTRACT = "contract", _("合同")


class PaperFileStatus(models.TextChoices):
    IN = "in", _("在库")
    OUT = "out", _("已借出")
