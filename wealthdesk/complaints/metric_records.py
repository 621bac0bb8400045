"""The records behind the complaint metrics and the "overdue complaint" figure the performance sheet deducts for
(R32 deadline, R34 deduction)."""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from wealthdesk.core.masking import mask_name
from wealthdesk.core.metric_windows import date_window, per_window
from wealthdesk.core.registry import MetricRecord

from .choices import Status
from .models import Complaint


def received_records(user_id, start, end) -> list[MetricRecord]:
    rows = (Complaint.objects.filter(receiver_id=user_id, received_on__gte=start, received_on__lte=end)
            .select_related("customer").order_by("received_on", "id"))
    return [MetricRecord(c.received_on, _label(c), reverse("complaints:detail", args=[c.pk])) for c in rows]


def _label(c: Complaint) -> str:
    name = c.customer.name if c.customer_id else c.complainant_name
    return f"{mask_name(name)} {c.get_status_display()}"


_due_window = date_window("due_on")


def _missed(user_ids):
    """Complaints owned by the staff members whose answer was due before today and was missed: still open after
    the due date, or closed after it."""
    return Complaint.objects.filter(owner_id__in=list(user_ids), due_on__lt=timezone.localdate()).filter(
        Q(status=Status.OPEN) | Q(status=Status.CLOSED, closed_on__gt=F("due_on")))


def _overdue(user_ids, start: dt.date, end: dt.date):
    """Those of ``_missed`` whose answer was due in [start, end]."""
    return _missed(user_ids).filter(_due_window(start, end))


def overdue_metric(user_ids, start: dt.date, end: dt.date) -> dict[int, int]:
    rows = _overdue(user_ids, start, end).values("owner_id").annotate(n=Count("id")).order_by()
    return {r["owner_id"]: r["n"] for r in rows}


def overdue_windows(user_ids, windows) -> dict:
    """The batch form of "complaints_overdue": every period in one grouped query (issue 16)."""
    return per_window(_missed(user_ids), "owner_id", windows, _due_window, Count("id"))


def overdue_records(user_id, start, end) -> list[MetricRecord]:
    rows = _overdue([user_id], start, end).select_related("customer").order_by("due_on", "id")
    return [MetricRecord(c.due_on, _label(c), reverse("complaints:detail", args=[c.pk])) for c in rows]
