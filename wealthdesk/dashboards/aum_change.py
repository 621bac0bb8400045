"""The dashboards' own unit figures: AUM change over the day, the month and the year (R1, R2).

Per center from the ``CenterDayAum`` summary (kept current by ``summary.ensure_days``); per client manager live
from the daily balances of their customers (a center's worth of rows). The change is the AUM of the period's
last loaded day minus that of the base day (see ``summary.AumDays``).
"""
from __future__ import annotations

import datetime as dt

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.registry import UnitFigure
from wealthdesk.corebanking.models import DailyBalance

from .models import CenterDayAum
from .summary import aum_days, ensure_days

GROUP = _("资产变动")
FIGURES = (
    UnitFigure("aum_change_day", _("AUM日变动"), GROUP, unit="yuan", flow=False, order=30),
    UnitFigure("aum_change_month", _("AUM月变动"), GROUP, unit="yuan", flow=False, order=31),
    UnitFigure("aum_change_year", _("AUM年变动"), GROUP, unit="yuan", flow=False, order=32),
)


def aum_change(ids, start: dt.date, end: dt.date, by: str = "center") -> dict[int, dict[str, float]]:
    days = aum_days(end)
    if days is None:
        return {}
    if by == "center":
        ensure_days(days.all())
        rows = (CenterDayAum.objects.filter(center_id__in=ids, as_of__in=days.all())
                .values_list("center_id", "as_of", "aum"))
    else:
        rows = (DailyBalance.objects.filter(customer__client_manager_id__in=ids, as_of__in=days.all())
                .values("customer__client_manager_id", "as_of").annotate(total=Sum("aum"))
                .values_list("customer__client_manager_id", "as_of", "total").order_by())
    by_id: dict[int, dict[dt.date, float]] = {}
    for key, day, aum in rows:
        by_id.setdefault(key, {})[day] = float(aum or 0)
    out = {}
    for key, values in by_id.items():
        now = values.get(days.last, 0.0)
        out[key] = {name: round(now - values.get(base, 0.0), 2) if base else 0.0
                    for name, base in (("aum_change_day", days.day_base), ("aum_change_month", days.month_base),
                                       ("aum_change_year", days.year_base))}
    return out
