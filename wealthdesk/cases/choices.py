"""Choices of the up-and-down linkage (R5, R40): cases, joint service plans, the VIP bulletin."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    OPEN = "open", _("本级处理")
    REFERRED = "referred", _("已上报")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")


class ServiceLevel(models.TextChoices):
    """How fast the level a case is handed to must answer (deadlines ``case.answer`` / ``case.answer_urgent``)."""

    STANDARD = "standard", _("普通")
    URGENT = "urgent", _("紧急")


DEADLINE_OF_LEVEL = {ServiceLevel.STANDARD: "case.answer", ServiceLevel.URGENT: "case.answer_urgent"}


class SubjectKind(models.TextChoices):
    """What a case is about: a customer, a complaint or a problem, referenced generically (content type + id)."""

    CUSTOMER = "customer", _("客户")
    COMPLAINT = "complaint", _("投诉")
    PROBLEM = "problem", _("问题")


# The subject's model, by label: the subject apps are never imported (their own ``visible_to`` validates access).
SUBJECT_MODELS = {SubjectKind.CUSTOMER: "customers.Customer", SubjectKind.COMPLAINT: "complaints.Complaint",
                  SubjectKind.PROBLEM: "meetings.Problem"}


class PlanItemKind(models.TextChoices):
    REVIEW = "review", _("服务检视")
    MEETING = "meeting", _("客户会面")


class IssueStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
