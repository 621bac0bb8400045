"""The alerts app's figures for the roll-up dashboards and the operating report (R1, R6, R7, R35): large
movements and downgrades noticed in the period, alerts due in the period and closed in time (the follow-through),
and holdings maturing within the reminder window after the period's end. Registered in ``nav.py``."""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.registry import UnitFigure
from wealthdesk.corebanking.models import Holding

from .choices import AlertKind, AlertStatus
from .models import Alert, MaturityCount
from .selectors import maturity_window

GROUP_ALERTS = _("资金异动与预警")
GROUP_MATURITIES = _("即将到期")

ALERT_FIGURES = (
    UnitFigure("alerts_movements", _("大额资金异动"), GROUP_ALERTS, order=50),
    UnitFigure("alerts_downgrades", _("级别下调预警"), GROUP_ALERTS, order=51),
    UnitFigure("alerts_due", _("到期应跟进预警"), GROUP_ALERTS, order=52),
    UnitFigure("alerts_closed_in_time", _("按期跟进关闭"), GROUP_ALERTS, order=53),
    UnitFigure("alerts_in_time_rate", _("预警按期跟进率"), GROUP_ALERTS, unit="percent",
               ratio=("alerts_closed_in_time", "alerts_due"), order=54),
)
MATURITY_FIGURES = (
    UnitFigure("maturities_count", _("即将到期笔数"), GROUP_MATURITIES, flow=False, order=60),
    UnitFigure("maturities_amount", _("即将到期金额"), GROUP_MATURITIES, unit="yuan", flow=False, order=61),
)


def alert_figures(ids, start: dt.date, end: dt.date, by: str = "center") -> dict[int, dict[str, int]]:
    field = {"center": "center_id", "staff": "assigned_to_id"}[by]
    base = Alert.objects.filter(**{f"{field}__in": ids})
    out: dict[int, dict[str, int]] = {}
    for r in (base.filter(as_of__gte=start, as_of__lte=end).values(field).order_by()
              .annotate(down=Count("id", filter=Q(kind=AlertKind.TIER_DOWNGRADE)),
                        moves=Count("id", filter=~Q(kind=AlertKind.TIER_DOWNGRADE)))):
        out.setdefault(r[field], {}).update(alerts_movements=r["moves"], alerts_downgrades=r["down"])
    for r in (base.filter(due_date__gte=start, due_date__lte=end).values(field).order_by()
              .annotate(due=Count("id"), ok=Count("id", filter=Q(status=AlertStatus.CLOSED,
                                                                    closed_at__date__lte=F("due_date"))))):
        out.setdefault(r[field], {}).update(alerts_due=r["due"], alerts_closed_in_time=r["ok"])
    return out


def maturities(ids, start: dt.date, end: dt.date, by: str = "center") -> dict[int, dict[str, float]]:
    """Holdings maturing in the reminder window after the period's end (after today for the current period):
    one grouped query on the maintained summary (``MaturityCount``; ``live_maturities`` is its definition)."""
    field = {"center": "center_id", "staff": "manager_id"}[by]
    first = end + dt.timedelta(days=1)
    last = end + dt.timedelta(days=maturity_window())
    rows = (MaturityCount.objects.filter(**{f"{field}__in": ids}, maturity_date__gte=first, maturity_date__lte=last)
            .values(field).annotate(n=Sum("n"), amount=Sum("amount")).order_by())
    return {r[field]: {"maturities_count": int(r["n"]), "maturities_amount": round(float(r["amount"] or 0), 2)}
            for r in rows if r["n"]}


def live_maturities(ids, start: dt.date, end: dt.date, by: str = "center") -> dict[int, dict[str, float]]:
    """Holdings maturing in the reminder window, counted from the holdings."""
    field = {"center": "customer__center_id", "staff": "customer__client_manager_id"}[by]
    first = end + dt.timedelta(days=1)
    last = end + dt.timedelta(days=maturity_window())
    rows = (Holding.objects.filter(**{f"{field}__in": ids}, maturity_date__gte=first, maturity_date__lte=last)
            .values(field).annotate(n=Count("id"), amount=Sum("amount")).order_by())
    return {r[field]: {"maturities_count": r["n"], "maturities_amount": round(float(r["amount"] or 0), 2)}
            for r in rows}
