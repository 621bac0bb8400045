"""The "customer question unanswered past 2 weeks" figure that the performance sheet deducts for (R22, R34)."""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from wealthdesk.core.masking import mask_name
from wealthdesk.core.registry import MetricRecord

from .choices import QuestionStatus
from .models import NeedsQuestion


def _overdue(user_ids, start: dt.date, end: dt.date):
    """Questions on the managers' needs cards whose answer was due in [start, end] (R22: 2 weeks from asking) and
    that the customer was not told by then."""
    today = timezone.localdate()
    return NeedsQuestion.objects.filter(card__client_manager_id__in=list(user_ids), due_on__gte=start,
                                        due_on__lte=end, due_on__lt=today).filter(
        ~Q(status=QuestionStatus.TOLD) | Q(told_on__gt=F("due_on")))


def overdue_metric(user_ids, start: dt.date, end: dt.date) -> dict[int, int]:
    rows = _overdue(user_ids, start, end).values("card__client_manager_id").annotate(n=Count("id")).order_by()
    return {r["card__client_manager_id"]: r["n"] for r in rows}


def overdue_records(user_id, start, end) -> list[MetricRecord]:
    rows = _overdue([user_id], start, end).select_related("card__customer").order_by("due_on", "id")
    return [MetricRecord(q.due_on, f"{mask_name(q.card.customer.name)} {q.get_status_display()}",
                         reverse("voice:card-detail", args=[q.card_id])) for q in rows]
