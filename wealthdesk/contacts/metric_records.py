"""The records behind the contacts app's metrics (R34 drill-down, ``core.registry.MetricRecord``) and the
"missed VIP contact" figure that the performance sheet deducts for (R26, R34)."""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from wealthdesk.core.masking import mask_name
from wealthdesk.core.metric_windows import per_window
from wealthdesk.core.params import get_param
from wealthdesk.core.registry import MetricRecord
from wealthdesk.customers.models import Customer

from . import policy
from .models import ContactRecord


def _window(user_ids, start: dt.date, end: dt.date):
    return ContactRecord.objects.filter(staff_id__in=list(user_ids), contacted_at__gte=policy._start(start),
                                        contacted_at__lt=policy._start(end + dt.timedelta(days=1)))


def contacts_records(user_id: int, start: dt.date, end: dt.date) -> list[MetricRecord]:
    """Metric "contacts": every contact record of the staff member in [start, end]."""
    rows = _window([user_id], start, end).select_related("customer").order_by("contacted_at", "id")
    return [MetricRecord(timezone.localdate(r.contacted_at), f"{mask_name(r.customer.name)} {r.get_kind_display()}",
                         reverse("contacts:detail", args=[r.pk])) for r in rows]


def customers_contacted_records(user_id: int, start: dt.date, end: dt.date) -> list[MetricRecord]:
    """Metric "customers_contacted": the first contact with each distinct customer in [start, end]."""
    seen, out = set(), []
    for r in _window([user_id], start, end).select_related("customer").order_by("contacted_at", "id"):
        if r.customer_id in seen:
            continue
        seen.add(r.customer_id)
        out.append(MetricRecord(timezone.localdate(r.contacted_at), mask_name(r.customer.name),
                                reverse("contacts:detail", args=[r.pk])))
    return out


def vip_tiers() -> list[str]:
    return [t.strip() for t in str(get_param("performance.vip_tiers")).split(",") if t.strip()]


def _vip_customers(user_ids):
    return Customer.objects.filter(client_manager_id__in=list(user_ids), tier__in=vip_tiers(), status="active")


def _not_contacted(start: dt.date, end: dt.date):
    """The customer has no contact record at all in [start, end]."""
    contacted = ContactRecord.objects.filter(customer_id=OuterRef("pk"), contacted_at__gte=policy._start(start),
                                             contacted_at__lt=policy._start(end + dt.timedelta(days=1)))
    return ~Exists(contacted)


def _missed(user_ids, start: dt.date, end: dt.date):
    """VIP customers of the managers with no contact record at all in [start, end] (R26: at least once a month).
    A month still running misses nothing yet: the count is made once the period is over."""
    if end >= timezone.localdate():
        return Customer.objects.none()
    return _vip_customers(user_ids).filter(_not_contacted(start, end))


def vip_missed_metric(user_ids, start: dt.date, end: dt.date) -> dict[int, int]:
    """Metric "vip_contacts_missed" (未按月联系的贵宾客户数), set-based."""
    rows = _missed(user_ids, start, end).values("client_manager_id").annotate(n=Count("id")).order_by()
    return {r["client_manager_id"]: r["n"] for r in rows}


def vip_missed_windows(user_ids, windows) -> dict:
    """The batch form of "vip_contacts_missed": every period that is over in one grouped query (one anti-join
    per period), the running ones empty (issue 16)."""
    today = timezone.localdate()
    wanted = list(windows)
    out = {w: {} for w in wanted}
    out.update(per_window(_vip_customers(user_ids), "client_manager_id", [w for w in wanted if w[1] < today],
                          _not_contacted, Count("id")))
    return out


def vip_missed_records(user_id: int, start: dt.date, end: dt.date) -> list[MetricRecord]:
    return [MetricRecord(end, f"{mask_name(c.name)} {c.get_tier_display()}", reverse("customers:detail", args=[c.pk]))
            for c in _missed([user_id], start, end).order_by("id")]
