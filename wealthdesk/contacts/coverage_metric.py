"""Contact coverage as a percentage metric (R26 → R33 targets, R34 sheet): ``contact_coverage`` (联系覆盖率).

The same rule as the coverage page (``selectors.coverage_by_manager``): of a manager's customers under a contact
policy, ``met`` are those contacted in time, ``due`` those whose contact has fallen due or already happened (met +
overdue). For a period it is read on the period's last day, with only the contacts made by then:

* a period still running is read **today** (as the page does: early in the month nobody is late yet);
* a period that is over is read at its end — met as of the last day, overdue as of the day after, so every
  customer whose contact fell due in it counts (for a monthly policy: contacted in the month / all).

A unit's or a group's figure is the sum of the met over the sum of the due (``core.registry.metric_parts``), not
a mean of percentages. One query for any number of managers; the records list the due customers (1 = met).
"""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, DateTimeField, F, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wealthdesk.core.masking import mask_name
from wealthdesk.core.registry import MetricRecord
from wealthdesk.customers.models import Customer

from . import policy
from .models import ContactRecord


def _read_days(end: dt.date) -> tuple[dt.date, dt.date]:
    """(day met is read on, day overdue is read on) for a period ending ``end``."""
    today = timezone.localdate()
    if end >= today:
        return today, today
    return end, end + dt.timedelta(days=1)


def _customers(user_ids, end: dt.date):
    """The managers' customers under a policy that existed by the reading day, annotated like
    ``policy.with_last_contact`` but with the contacts made by then only."""
    met_day, overdue_day = _read_days(end)
    months = policy.intervals()
    upto = policy._start(met_day + dt.timedelta(days=1))
    last = (ContactRecord.objects.filter(customer=OuterRef("pk"), contacted_at__lt=upto).values("customer")
            .annotate(m=Max("contacted_at")).values("m"))
    qs = (Customer.objects.filter(client_manager_id__in=list(user_ids), tier__in=policy.policy_tiers(months),
                                  created_at__lt=upto)
          .annotate(last_contact_at=Subquery(last, output_field=DateTimeField()))
          .annotate(policy_anchor=Coalesce(F("last_contact_at"), F("created_at"))))
    return qs, policy.met_q(met_day, months), policy.overdue_q(overdue_day, months)


def coverage_parts(user_ids, start: dt.date, end: dt.date) -> dict[int, tuple[int, int]]:
    qs, met_q, overdue_q = _customers(user_ids, end)
    rows = (qs.values("client_manager_id").annotate(met=Count("id", filter=met_q), overdue=Count("id", filter=overdue_q))
            .order_by())
    return {r["client_manager_id"]: (r["met"], r["met"] + r["overdue"]) for r in rows if r["met"] + r["overdue"]}


def coverage_records(user_id: int, start: dt.date, end: dt.date) -> list[MetricRecord]:
    qs, met_q, overdue_q = _customers([user_id], end)
    met_day = _read_days(end)[0]
    met_ids = set(qs.filter(met_q).values_list("pk", flat=True))
    out = []
    for c in qs.filter(met_q | overdue_q).order_by("id"):
        met = c.pk in met_ids
        state = _("已按时联系") if met else _("逾期未联系")
        out.append(MetricRecord(timezone.localtime(c.last_contact_at).date() if c.last_contact_at else met_day,
                                f"{mask_name(c.name)} {c.get_tier_display()} {state}",
                                reverse("customers:detail", args=[c.pk]), 1 if met else 0))
    return out
