"""R29 on the compliance monitor: paper files checked out come back by their due date."""
from __future__ import annotations

import datetime as dt

from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.compliance import deadline_counts
from wealthdesk.core.registry import register_compliance

from .models import PaperCheckout


def paper_files_returned(center_ids: list[int], today: dt.date):
    """Loans due this month (or still open from before): returned by the due date, or overdue now."""
    return deadline_counts(PaperCheckout.objects.all(), center_ids, today, open_q=Q(returned_at__isnull=True),
                           done_in_time_q=Q(returned_at__date__lte=F("due_back_on")), due_field="due_back_on")


def register() -> None:
    register_compliance("R29", "R29", _("借出的纸质档案按期归还"), paper_files_returned, period="month", order=29,
                        overdue_url=lambda unit: reverse("archive:paper-list") + "?overdue=1")
