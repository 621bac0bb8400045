"""The contacts app's figures for the roll-up dashboards and the operating report (R1, R26, R27, R35): contacts
made in the period and the premium customers reached, whose share of all premium customers is the contact
coverage (VIP customers at least once a month). Registered in ``nav.py``.

A span from the 1st of a month to a day of the same month (every span the dashboards ask) is read from the
maintained day summaries (``summaries``: one grouped query); any other span is computed live
(``live_contact_figures``, the definition the summaries are tested against)."""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.registry import UnitFigure
from wealthdesk.customers.choices import PREMIUM_TIERS

from . import policy
from .models import ContactCenterDayCount, ContactDayCount, ContactRecord

GROUP = _("客户联系")

FIGURES = (
    UnitFigure("contacts_made", _("联系次数"), GROUP, order=70),
    UnitFigure("premium_contacted", _("已联系优质客户数"), GROUP, order=71),
    UnitFigure("contact_coverage", _("优质客户联系覆盖率"), GROUP, unit="percent",
               ratio=("premium_contacted", "premium_customers"), order=72),
)


def contact_figures(ids, start: dt.date, end: dt.date, by: str = "center") -> dict[int, dict[str, int]]:
    """Grouped by the customer's center or client manager (the customer's relationship, whoever called)."""
    if start.day != 1 or (end.year, end.month) != (start.year, start.month) or end < start:
        return live_contact_figures(ids, start, end, by)
    if by == "center":
        qs, field = ContactCenterDayCount.objects.filter(center_id__in=ids), "center_id"
    else:
        qs, field = ContactDayCount.objects.filter(manager_id__in=ids), "manager_id"
    rows = (qs.filter(day__gte=start, day__lte=end).values(field).order_by()
            .annotate(n=Sum("contacts"), premium=Sum("first_contacts", filter=Q(tier__in=PREMIUM_TIERS))))
    return {r[field]: {"contacts_made": int(r["n"] or 0), "premium_contacted": int(r["premium"] or 0)}
            for r in rows if r["n"]}


def live_contact_figures(ids, start: dt.date, end: dt.date, by: str = "center") -> dict[int, dict[str, int]]:
    """The figures computed from the contact records (any span)."""
    field = {"center": "customer__center_id", "staff": "customer__client_manager_id"}[by]
    rows = (ContactRecord.objects.filter(**{f"{field}__in": ids}, contacted_at__gte=policy._start(start),
                                         contacted_at__lt=policy._start(end + dt.timedelta(days=1)))
            .values(field).order_by()
            .annotate(n=Count("id"), premium=Count("customer_id", distinct=True,
                                                   filter=Q(customer__tier__in=PREMIUM_TIERS))))
    return {r[field]: {"contacts_made": r["n"], "premium_contacted": r["premium"]} for r in rows}
