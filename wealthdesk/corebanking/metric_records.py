"""The records behind the core-banking metrics (R34 drill-down): the purchases summed into ``sales_amount`` and
each customer's change summed into ``aum_change``."""
from __future__ import annotations

import datetime

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from wealthdesk.core.masking import mask_name
from wealthdesk.core.registry import MetricRecord

from .choices import SALES_KINDS
from .metrics import purchases


def sales_records_of(kinds):
    """The records of the purchases of ``kinds`` (``metrics.sales_of``): one row per purchase with its amount."""
    def records(user_id: int, start: datetime.date, end: datetime.date) -> list[MetricRecord]:
        rows = purchases([user_id], kinds, start, end).select_related("customer", "product").order_by(
            "occurred_at", "id")
        return [MetricRecord(timezone.localdate(t.occurred_at), f"{mask_name(t.customer.name)} {t.product.name}",
                             reverse("customers:detail", args=[t.customer_id]), float(t.amount)) for t in rows]

    return records


sales_records = sales_records_of(SALES_KINDS)


def aum_records(user_id: int, start: datetime.date, end: datetime.date) -> list[MetricRecord]:
    """One row per customer whose assets changed: the same two loaded days as ``metrics.aum_change``."""
    from wealthdesk.customers.models import Customer

    from .models import DailyBalance

    last_in = DailyBalance.objects.filter(as_of__lte=end, as_of__gte=start).aggregate(d=Max("as_of"))["d"]
    if last_in is None:
        return []
    last_before = DailyBalance.objects.filter(as_of__lt=start).aggregate(d=Max("as_of"))["d"]

    def day_values(day):
        if day is None:
            return {}
        return dict(DailyBalance.objects.filter(as_of=day, customer__client_manager_id=user_id)
                    .values_list("customer_id", "aum"))

    now, before = day_values(last_in), day_values(last_before)
    names = dict(Customer.objects.filter(pk__in=set(now) | set(before)).values_list("pk", "name"))
    out = []
    for cid in sorted(set(now) | set(before)):
        change = round(float(now.get(cid, 0)) - float(before.get(cid, 0)), 2)
        if change:
            out.append(MetricRecord(last_in, mask_name(names.get(cid, "")), reverse("customers:detail", args=[cid]),
                                    change))
    return out
