"""R32 on the compliance monitor: a complaint decided within 15 working days (30 once extended)."""
from __future__ import annotations

import datetime as dt

from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.compliance import deadline_counts
from wealthdesk.core.registry import register_compliance

from .choices import Status
from .models import Complaint


def complaints_decided(center_ids: list[int], today: dt.date):
    return deadline_counts(Complaint.objects.all(), center_ids, today, open_q=Q(status=Status.OPEN),
                           done_in_time_q=~Q(status=Status.OPEN) & Q(closed_on__lte=F("due_on")))


def register() -> None:
    register_compliance("R32", "R32", _("投诉在时限内办结"), complaints_decided, period="month", order=32,
                        overdue_url=lambda unit: reverse("complaints:list") + "?overdue=1")
