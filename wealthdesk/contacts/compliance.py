"""R26 on the compliance monitor: every premium customer contacted at least once a month (the contact policy).

The same figures as the coverage page: due = customers met this month or overdue, done = met, overdue = overdue.

Read from the maintained coverage summary ``contacts.CoverageCount`` (issue 16), which the contact writes and the
customer services keep **in their own transaction** (``core.summaries``): one grouped sum over a few rows per
center instead of every premium customer's last contact (4.4 s at head office on 100,000 customers). No figure
here is balance-derived, so none waits for the daily load. ``customers_contacted_live`` is the definition over
the customers themselves (``contacts.policy.policy_counts``); the tests hold the two equal.
"""
from __future__ import annotations

import datetime as dt

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.compliance import empty
from wealthdesk.core.registry import register_compliance
from wealthdesk.customers.models import Customer

from . import policy
from .models import CoverageCount
from .summaries import _met_q, _overdue_q


def customers_contacted(center_ids: list[int], today: dt.date):
    """One grouped query over the coverage summary: per center, customers met this month and overdue now."""
    months = policy.intervals()
    out = empty(center_ids)
    tiers = policy.policy_tiers(months)
    if not tiers or not center_ids:
        return out
    rows = (CoverageCount.objects.filter(center_id__in=center_ids, tier__in=tiers).values("center_id").order_by()
            .annotate(met=Sum("n", filter=_met_q(today, months)), overdue=Sum("n", filter=_overdue_q(today, months))))
    for row in rows:
        met, overdue = row["met"] or 0, row["overdue"] or 0
        out[row["center_id"]] = {"due": met + overdue, "done": met, "overdue": overdue}
    return out


def customers_contacted_live(center_ids: list[int], today: dt.date):
    """The definition over the customers and their last contact (what the summary must always equal)."""
    months = policy.intervals()
    out = empty(center_ids)
    counts = policy.policy_counts(Customer.objects.filter(center_id__in=center_ids), "center_id", today, months)
    for cid, row in counts.items():
        out[cid] = {"due": row["met"] + row["overdue"], "done": row["met"], "overdue": row["overdue"]}
    return out


def register() -> None:
    register_compliance("R26", "R26", _("贵宾客户每月至少联系一次"), customers_contacted, period="month", order=26,
                        overdue_url=lambda unit: reverse("contacts:due"))
