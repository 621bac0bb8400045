"""Reads of the alerts app; every one starts from ``visible_to(user)`` (DESIGN rule 1)."""
from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from wealthdesk.core.params import get_param

from .choices import OPEN_STATUSES, AlertKind, AlertStatus
from .models import Alert, AlertMatch, AlertNote


def today() -> dt.date:
    return timezone.localdate()


def alert_list(user, *, mine: bool = False, status: str = "", kind: str = "", overdue: str = "",
               manager: str = "", customer: str = "", on: dt.date | None = None) -> QuerySet[Alert]:
    """Alerts for the list pages, the export and the API: filter by status ("open" = new or following up),
    kind, overdue, client manager and customer. ``mine`` keeps only the user's own alerts."""
    qs = Alert.objects.visible_to(user).select_related("customer", "assigned_to", "center", "rule")
    if mine:
        qs = qs.filter(assigned_to=user)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status == "pending_review":
        qs = qs.awaiting_review()
    elif status in AlertStatus.values:
        qs = qs.filter(status=status)
    if kind in AlertKind.values:  # an alert of several rules is found under each of them
        qs = qs.filter(Exists(AlertMatch.objects.filter(alert=OuterRef("pk"), kind=kind)))
    if overdue in ("1", "true", "yes"):
        qs = qs.overdue(on or today())
    if str(manager).isdigit():
        qs = qs.filter(assigned_to_id=int(manager))
    if str(customer).isdigit():
        qs = qs.filter(customer_id=int(customer))
    return qs.order_by("status", "due_date", "-id")


def alert_notes(user, alert: Alert) -> QuerySet[AlertNote]:
    return AlertNote.objects.visible_to(user).filter(alert=alert).select_related("created_by")


def alert_counts(user, *, mine: bool = False, on: dt.date | None = None) -> dict[str, int]:
    """Open, overdue and awaiting-review counts in the user's scope, one query."""
    on = on or today()
    qs = Alert.objects.visible_to(user)
    if mine:
        qs = qs.filter(assigned_to=user)
    return qs.aggregate(
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, due_date__lt=on)),
        pending_review=Count("id", filter=Q(status=AlertStatus.CLOSED, review_state="pending")),
    )


def counts_by_rule(user, *, start: dt.date | None = None, end: dt.date | None = None) -> dict[str, int]:
    """R6 statistics by rule: how many alerts matched each kind of rule (an alert of three rules counts under each
    of the three), in the user's scope, one query."""
    qs = AlertMatch.objects.filter(alert__in=Alert.objects.visible_to(user))
    if start:
        qs = qs.filter(alert__as_of__gte=start)
    if end:
        qs = qs.filter(alert__as_of__lte=end)
    counts = dict(qs.values_list("kind").annotate(n=Count("id")).order_by())
    return {kind: counts.get(kind, 0) for kind in AlertKind.values}


def open_by_center(user) -> dict[int, dict[str, int]]:
    """Open and overdue alerts per center in the user's subtree (for the upper levels' roll-up)."""
    on = today()
    rows = (Alert.objects.visible_to(user).filter(status__in=OPEN_STATUSES).values("center_id")
            .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_date__lt=on))))
    return {r["center_id"]: {"open": r["open"], "overdue": r["overdue"]} for r in rows}


def maturity_window() -> int:
    return int(get_param("maturity.window_days"))


def maturities(user, *, mine: bool = False, days: int | None = None, kind: str = "", on: dt.date | None = None):
    """Holdings maturing from today through today + get_param("maturity.window_days") days (到期提醒),
    for the responsible client manager (or, for heads, the center)."""
    holding = apps.get_model("corebanking", "Holding")
    start = on or today()
    end = start + dt.timedelta(days=days if days is not None else maturity_window())
    qs = holding.objects.visible_to(user).maturing(start, end).select_related("customer", "product",
                                                                              "customer__client_manager")
    if mine:
        qs = qs.filter(customer__client_manager=user)
    if kind:
        qs = qs.filter(product__kind=kind)
    return qs.order_by("maturity_date", "id")


def metric_alerts_opened(user_ids, start: dt.date, end: dt.date) -> dict[int, int]:
    """Metric ``alerts_opened`` (资金异动与降级预警数): alerts that arose in the period, per responsible manager."""
    rows = (Alert.objects.filter(assigned_to_id__in=list(user_ids), as_of__gte=start, as_of__lte=end)
            .values("assigned_to_id").annotate(n=Count("id")).order_by())
    return {r["assigned_to_id"]: r["n"] for r in rows}
