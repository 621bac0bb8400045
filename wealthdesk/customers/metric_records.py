"""The records behind the customers app's metrics (R34 drill-down)."""
from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from wealthdesk.core.masking import mask_name
from wealthdesk.core.registry import MetricRecord

from .choices import PREMIUM_TIERS, Tier
from .models import Customer, TierHistory


def new_premium_records(user_id, start, end, tier: str = "") -> list[MetricRecord]:
    """Each customer counted once (the first rise into a premium tier in the period), like the metric; with
    ``tier``, only the customers whose first rise reached it (``new_premium_<tier>``)."""
    rows = (TierHistory.objects.filter(customer__client_manager_id=user_id, changed_on__gte=start,
                                       changed_on__lte=end, to_tier__in=PREMIUM_TIERS)
            .filter(Q(from_tier="") | Q(from_tier=Tier.ORDINARY)).select_related("customer")
            .order_by("changed_on", "id"))
    seen, out = set(), []
    for h in rows:
        if h.customer_id in seen:
            continue
        seen.add(h.customer_id)
        if tier and h.to_tier != tier:
            continue
        out.append(MetricRecord(h.changed_on, f"{mask_name(h.customer.name)} {h.get_to_tier_display()}",
                                reverse("customers:detail", args=[h.customer_id])))
    return out


def new_customers_records(user_id, start, end) -> list[MetricRecord]:
    rows = Customer.objects.filter(client_manager_id=user_id, created_at__date__gte=start,
                                   created_at__date__lte=end).order_by("created_at", "id")
    return [MetricRecord(c.created_at.date(), mask_name(c.name), reverse("customers:detail", args=[c.pk]))
            for c in rows]


def new_premium_records_of(tier: str):
    def records(user_id, start, end) -> list[MetricRecord]:
        return new_premium_records(user_id, start, end, tier)

    return records
