"""The referrals app's figures for the roll-up dashboards and the operating report (R1, R16, R17, R35):
referrals received for follow-up and converted in the period. Registered in ``nav.py``."""
from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.registry import UnitFigure

from .models import Referral

GROUP = _("客户推介")

FIGURES = (
    UnitFigure("referrals_made", _("推介数"), GROUP, order=80),
    UnitFigure("referrals_converted", _("推介转化数"), GROUP, order=81),
)


def referral_figures(ids, start: dt.date, end: dt.date, by: str = "center") -> dict[int, dict[str, int]]:
    field = {"center": "center_id", "staff": "assigned_to_id"}[by]
    base = Referral.objects.filter(**{f"{field}__in": ids})
    out: dict[int, dict[str, int]] = {}
    for key, date_field in (("referrals_made", "referred_on"), ("referrals_converted", "converted_on")):
        for r in (base.filter(**{f"{date_field}__gte": start, f"{date_field}__lte": end})
                  .values(field).annotate(n=Count("id")).order_by()):
            out.setdefault(r[field], {})[key] = r["n"]
    return out
