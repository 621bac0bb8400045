"""The "customer question unanswered past 2 weeks" figure that the performance sheet deducts for (R22, R34)."""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from wealthdesk.core.masking import mask_name
from wealthdesk.core.metric_windows import date_window, per_window
from wealthdesk.core.registry import MetricRecord

from .choices import QuestionStatus
from .models import NeedsQuestion

_due_window = date_window("due_on")


def _missed(user_ids):
    """Questions on the managers' needs cards whose answer was due before today (R22: 2 weeks from asking) and
    that the customer was not told by then."""
    return NeedsQuestion.objects.filter(card__client_manager_id__in=list(user_ids),
                                        due_on__lt=timezone.localdate()).filter(
        ~Q(status=QuestionStatus.TOLD) | Q(told_on__gt=F("due_on")))


def _overdue(user_ids, start: dt.date, end: dt.date):
    """Those of ``_missed`` whose answer was due in [start, end]."""
    return _missed(user_ids).filter(_due_window(start, end))


def overdue_metric(user_ids, start: dt.date, end: dt.date) -> dict[int, int]:
    rows = _overdue(user_ids, start, end).values("card__client_manager_id").annotate(n=Count("id")).order_by()
    return {r["card__client_manager_id"]: r["n"] for r in rows}


def overdue_windows(user_ids, windows) -> dict:
    """The batch form of "questions_overdue": every period in one grouped query (issue 16)."""
    return per_window(_missed(user_ids), "card__client_manager_id", windows, _due_window, Count("id"))


def overdue_records(user_id, start, end) -> list[MetricRecord]:
    rows = _overdue([user_id], start, end).select_related("card__customer").order_by("due_on", "id")
    return [MetricRecord(q.due_on, f"{mask_name(q.card.customer.name)} {q.get_status_display()}",
                         reverse("voice:card-detail", args=[q.card_id])) for q in rows]
