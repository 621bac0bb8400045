"""Reads of complaints; every one starts from ``Complaint.objects.visible_to(user)`` (DESIGN rule 1)."""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from wealthdesk.core.metric_windows import date_window, per_window
from wealthdesk.customers.models import Customer
from wealthdesk.customers.selectors import customer_by_exact_identifier

from .choices import Category, Channel, Status
from .models import Complaint, ComplaintLog

SORTS = {"received": "received_on", "-received": "-received_on", "due": "due_on", "-due": "-due_on"}


def complaint_list(user, *, status: str = "", channel: str = "", category: str = "", overdue: str = "",
                   mine: str = "", q: str = "", sort: str = "", customer: str = "",
                   escalated: str = "") -> QuerySet[Complaint]:
    """Complaints for the list page and the API, filtered by status, channel, category, overdue, owner."""
    qs = Complaint.objects.visible_to(user).select_related("center", "customer", "receiver", "owner",
                                                           "escalated_to")
    if status in Status.values:
        qs = qs.filter(status=status)
    if channel in Channel.values:
        qs = qs.filter(channel=channel)
    if category in Category.values:
        qs = qs.filter(category=category)
    if overdue in ("1", "true"):
        qs = qs.overdue()
    if mine in ("1", "true"):
        qs = qs.filter(owner_id=user.pk)
    if escalated in ("1", "true"):  # the quality manager's inbox: complaints escalated to me (R32)
        qs = qs.filter(escalated_to_id=user.pk)
    if customer.isdigit():
        qs = qs.filter(customer_id=int(customer))
    q = q.strip()
    if q:
        qs = qs.filter(Q(content__contains=q) | Q(customer__name=q) | Q(complainant_name=q))
    return qs.order_by(SORTS.get(sort, "-received_on"), "-id")


def complaint_detail(user, pk: int) -> Complaint:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Complaint.objects.visible_to(user).select_related("center", "customer", "receiver", "owner", "escalated_to",
                                                          "closed_by"), pk=pk)


def complaint_logs(user, complaint: Complaint) -> QuerySet[ComplaintLog]:
    return ComplaintLog.objects.visible_to(user).filter(complaint=complaint).select_related("created_by")


def open_counts(qs: QuerySet[Complaint], today: dt.date | None = None) -> dict[str, int]:
    """Open and overdue complaints of a (scoped) queryset, one query."""
    today = today or timezone.localdate()
    return qs.aggregate(open=Count("id", filter=Q(status=Status.OPEN)),
                        overdue=Count("id", filter=Q(status=Status.OPEN, due_on__lt=today)))


def find_customer_for_complaint(actor, center, *, id_number: str = "", mobile: str = "") -> Customer | None:
    """R30: a receiver without customer reach (teller, lobby manager) may name an existing customer only by the
    exact ID number or mobile, and only within the center accepting the complaint. A deliberate, narrow
    exception to ``visible_to`` (which gives them no customers); nothing but the match itself is returned,
    and the complaint's audit row records the customer."""
    if center is None:
        return None
    return customer_by_exact_identifier(centers=[center], id_number=id_number or "", mobile=mobile or "")


def complaints_received_metric(user_ids, start: dt.date, end: dt.date) -> dict[int, int]:
    """Metric "complaints_received": complaints each user received in [start, end] (set-based, one query)."""
    rows = (Complaint.objects.filter(receiver_id__in=list(user_ids), received_on__gte=start, received_on__lte=end)
            .values("receiver_id").annotate(n=Count("id")))
    return {r["receiver_id"]: r["n"] for r in rows}


def complaints_received_windows(user_ids, windows) -> dict:
    """The batch form of "complaints_received": every period in one grouped query (issue 16)."""
    return per_window(Complaint.objects.filter(receiver_id__in=list(user_ids)), "receiver_id", windows,
                      date_window("received_on"), Count("id"))
