"""The complaints app's figures for the roll-up dashboards and the operating report (R1, R30–R32, R35):
complaints received in the period, complaints whose deadline fell in the period and those decided by it.
Per client manager: the complaints of their customers. Registered in ``nav.py``."""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.registry import UnitFigure

from .models import Complaint

GROUP = _("客户投诉")

FIGURES = (
    UnitFigure("complaints_received", _("受理投诉数"), GROUP, order=90),
    UnitFigure("complaints_due", _("到期应答复投诉"), GROUP, order=91),
    UnitFigure("complaints_in_time", _("按期答复投诉"), GROUP, order=92),
    UnitFigure("complaints_in_time_rate", _("投诉按期答复率"), GROUP, unit="percent",
               ratio=("complaints_in_time", "complaints_due"), order=93),
)


def complaint_figures(ids, start: dt.date, end: dt.date, by: str = "center") -> dict[int, dict[str, int]]:
    field = {"center": "center_id", "staff": "customer__client_manager_id"}[by]
    base = Complaint.objects.filter(**{f"{field}__in": ids})
    out: dict[int, dict[str, int]] = {}
    for r in base.filter(received_on__gte=start, received_on__lte=end).values(field).annotate(n=Count("id")).order_by():
        out.setdefault(r[field], {})["complaints_received"] = r["n"]
    for r in (base.filter(due_on__gte=start, due_on__lte=end).values(field).order_by()
              .annotate(n=Count("id"), ok=Count("id", filter=Q(closed_on__isnull=False, closed_on__lte=F("due_on"))))):
        out.setdefault(r[field], {}).update(complaints_due=r["n"], complaints_in_time=r["ok"])
    return out
