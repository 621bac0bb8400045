"""Choices of career goals (R37) and training (R38, R40)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class GoalStatus(models.TextChoices):
    AWAITING_STAFF = "awaiting_staff", _("待员工确认")
    AGREED = "agreed", _("已商定")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("待回顾")
    HELD = "held", _("已回顾")


class TrainingStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    HELD = "held", _("已举办")


class Attendance(models.TextChoices):
    ENROLLED = "enrolled", _("已报名")
    PRESENT = "present", _("出席")
    ABSENT = "absent", _("缺席")
