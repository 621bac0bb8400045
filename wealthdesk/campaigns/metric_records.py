"""Campaign results in money as a metric (R25 → R33 targets, R34 sheet), beside the contacts and conversions.

``campaign_aum`` (营销活动带来资产): the AUM brought in by the converted customers of each client manager's call
lists (``aum_gain`` of the converted, not-holdout members) in campaigns whose feedback was recorded in the period
— the same members ``campaign_conversions`` counts. One grouped query; the records are those members.
"""
from __future__ import annotations

import datetime as dt

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from wealthdesk.core.masking import mask_name
from wealthdesk.core.registry import MetricRecord

from .models import CampaignMember


def _converted(user_ids, start: dt.date, end: dt.date):
    lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    hi = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    return CampaignMember.objects.filter(client_manager_id__in=list(user_ids), is_holdout=False, converted=True,
                                         campaign__feedback_at__gte=lo, campaign__feedback_at__lt=hi)


def campaign_aum_metric(user_ids, start: dt.date, end: dt.date) -> dict[int, float]:
    rows = (_converted(user_ids, start, end).values("client_manager_id").annotate(total=Sum("aum_gain"))
            .order_by())
    return {r["client_manager_id"]: float(r["total"] or 0) for r in rows}


def campaign_aum_records(user_id: int, start: dt.date, end: dt.date) -> list[MetricRecord]:
    rows = (_converted([user_id], start, end).select_related("customer", "campaign")
            .order_by("campaign__feedback_at", "id"))
    return [MetricRecord(timezone.localdate(m.campaign.feedback_at), f"{mask_name(m.customer.name)} {m.campaign.theme}",
                         reverse("campaigns:detail", args=[m.campaign_id]), float(m.aum_gain or 0)) for m in rows]
