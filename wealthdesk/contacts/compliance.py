"""R26 on the compliance monitor: every premium customer contacted at least once a month (the contact policy).

The same figures as the coverage page: due = customers met this month or overdue, done = met, overdue = overdue."""
from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.compliance import empty
from wealthdesk.core.registry import register_compliance
from wealthdesk.customers.models import Customer

from . import policy


def customers_contacted(center_ids: list[int], today: dt.date):
    months = policy.intervals()
    out = empty(center_ids)
    counts = policy.policy_counts(Customer.objects.filter(center_id__in=center_ids), "center_id", today, months)
    for cid, row in counts.items():
        out[cid] = {"due": row["met"] + row["overdue"], "done": row["met"], "overdue": row["overdue"]}
    return out


def register() -> None:
    register_compliance("R26", "R26", _("贵宾客户每月至少联系一次"), customers_contacted, period="month", order=26,
                        overdue_url=lambda unit: reverse("contacts:due"))
