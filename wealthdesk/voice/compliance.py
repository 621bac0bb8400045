"""R22 on the compliance monitor: a customer's question answered (the customer told) within 2 weeks."""
from __future__ import annotations

import datetime as dt

from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.compliance import deadline_counts
from wealthdesk.core.registry import register_compliance

from .choices import QuestionStatus
from .models import NeedsQuestion


def questions_answered(center_ids: list[int], today: dt.date):
    return deadline_counts(NeedsQuestion.objects.all(), center_ids, today,
                           open_q=~Q(status=QuestionStatus.TOLD),
                           done_in_time_q=Q(status=QuestionStatus.TOLD, told_on__lte=F("due_on")))


def register() -> None:
    register_compliance("R22", "R22", _("客户问题两周内答复"), questions_answered, period="month", order=22,
                        overdue_url=lambda unit: reverse("voice:questions") + "?overdue=1")
