"""The records behind the referral metrics (R17 counted in performance, R34 drill-down)."""
from __future__ import annotations

from django.urls import reverse

from wealthdesk.core.masking import mask_name
from wealthdesk.core.registry import MetricRecord

from .choices import ReferralStatus
from .models import Referral


def _label(r: Referral) -> str:
    name = r.customer.name if r.customer_id else r.prospect_name
    return f"{mask_name(name)} {r.get_status_display()}"


def made_records(user_id, start, end) -> list[MetricRecord]:
    rows = (Referral.objects.filter(referrer_id=user_id, referred_on__gte=start, referred_on__lte=end)
            .select_related("customer").order_by("referred_on", "id"))
    return [MetricRecord(r.referred_on, _label(r), reverse("referrals:detail", args=[r.pk])) for r in rows]


def converted_records(user_id, start, end) -> list[MetricRecord]:
    rows = (Referral.objects.filter(referrer_id=user_id, status=ReferralStatus.CONVERTED, converted_on__gte=start,
                                    converted_on__lte=end).select_related("customer").order_by("converted_on", "id"))
    return [MetricRecord(r.converted_on, _label(r), reverse("referrals:detail", args=[r.pk])) for r in rows]
