"""Complaint statistics (R31): 《客户投诉日统计》 and 《客户投诉月统计》 per center, rolled up the org tree (R1).

Per period and center: complaints received, by channel and by category; complaints closed, by outcome, and how
many of those were answered by their deadline (the answered-in-time rate); complaints still open at the end.
Counts are set-based (three grouped queries whatever the number of centers) and summed up the tree by
``core.rollup.rollup_children``, so a sub-branch row always equals the sum of its centers.

Statistics carry no personal data, so the lobby manager who keeps them (R31) sees the counts of their own unit
even though they have no reach into customers; everyone sees the subtree of their own unit only.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wealthdesk.core.dates import RANGE_MESSAGE, in_range
from wealthdesk.core.roles import UPPER_LEVEL, Role
from wealthdesk.core.rollup import rollup_children, total
from wealthdesk.core.scoping import scope_for
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.orgs.models import OrgUnit

from .choices import Category, Channel, Outcome
from .models import Complaint

STATS_ROLES = frozenset({Role.LOBBY_MANAGER, Role.CENTER_HEAD, Role.BUSINESS_SUPERVISOR, Role.AUDITOR} | UPPER_LEVEL)
TITLES = {"daily": gettext_lazy("《客户投诉日统计》"), "monthly": gettext_lazy("《客户投诉月统计》")}


def columns() -> list[tuple[str, str]]:
    """(figure key, header) in the order of the handbook table."""
    cols = [("received", _("受理数"))]
    cols += [(f"ch_{v}", label if v != Channel.OTHER else _("其他渠道")) for v, label in Channel.choices]
    cols += [(f"cat_{v}", label if v != Category.OTHER else _("其他类别")) for v, label in Category.choices]
    cols += [("closed", _("办结数"))]
    cols += [(f"out_{v}", label) for v, label in Outcome.choices]
    cols += [("in_time", _("按期答复数")), ("open_end", _("期末未办结")), ("overdue_end", _("期末超期"))]
    return cols


@dataclass(frozen=True)
class Period:
    kind: str  # "daily" | "monthly"
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        return self.start.isoformat() if self.kind == "daily" else self.start.strftime("%Y-%m")


def parse_period(kind: str, value: str, today: dt.date) -> Period:
    """``YYYY-MM-DD`` for a day, ``YYYY-MM`` for a month; a clear message otherwise (raises ValueError)."""
    value = (value or "").strip()
    if kind == "daily":
        try:
            day = dt.date.fromisoformat(value) if value else today
        except ValueError:
            raise ValueError(_("日期格式应为 YYYY-MM-DD，例如 2026-11-27。")) from None
        if not in_range(day):
            raise ValueError(RANGE_MESSAGE)
        return Period("daily", day, day)
    try:
        year, month = (int(x) for x in value.split("-")) if value else (today.year, today.month)
        start = dt.date(year, month, 1)
    except ValueError:
        raise ValueError(_("月份格式应为 YYYY-MM，例如 2026-11。")) from None
    if not in_range(start):
        raise ValueError(RANGE_MESSAGE)
    return Period("monthly", start, dt.date(year, month, calendar.monthrange(year, month)[1]))


def root_for(user, unit_id: str | int | None) -> OrgUnit:
    """The unit whose statistics are asked for: the user's unit by default, or one in its subtree (else 404)."""
    scope = scope_for(user)
    if not scope.unit_path:
        raise Http404
    qs = OrgUnit.objects.filter(path__startswith=scope.unit_path)
    if unit_id in (None, ""):
        return qs.get(pk=scope.unit_id)
    if not str(unit_id).isdigit():
        raise Http404
    unit = qs.filter(pk=int(unit_id)).first()
    if unit is None:
        raise Http404
    return unit


def per_center(root: OrgUnit, period: Period) -> dict[int, dict[str, int]]:
    """The figures of every center under ``root`` for the period (three grouped queries)."""
    base = Complaint.objects.in_subtree_of(root.path)
    out: dict[int, dict[str, int]] = {}

    def add(center_id, key, n):
        figures = out.setdefault(center_id, {})
        figures[key] = figures.get(key, 0) + n

    received = base.filter(received_on__gte=period.start, received_on__lte=period.end)
    for row in received.values("center_id", "channel", "category").annotate(n=Count("id")):
        add(row["center_id"], "received", row["n"])
        add(row["center_id"], f"ch_{row['channel']}", row["n"])
        add(row["center_id"], f"cat_{row['category']}", row["n"])
    closed = base.filter(closed_on__gte=period.start, closed_on__lte=period.end)
    for row in closed.values("center_id", "outcome").annotate(
            n=Count("id"), in_time=Count("id", filter=Q(closed_on__lte=F("due_on")))):
        add(row["center_id"], "closed", row["n"])
        add(row["center_id"], f"out_{row['outcome']}", row["n"])
        add(row["center_id"], "in_time", row["in_time"])
    still_open = base.filter(received_on__lte=period.end).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=period.end))
    for row in still_open.values("center_id").annotate(
            n=Count("id"), late=Count("id", filter=Q(due_on__lt=period.end))):
        add(row["center_id"], "open_end", row["n"])
        add(row["center_id"], "overdue_end", row["late"])
    return out


def rate(figures: dict) -> float | None:
    closed = figures.get("closed", 0)
    return (figures.get("in_time", 0) / closed) if closed else None


@dataclass
class StatsTable:
    root: OrgUnit
    period: Period
    rows: list[dict]
    total: dict

    @property
    def title(self) -> str:
        return str(TITLES[self.period.kind])


def build_table(root: OrgUnit, period: Period) -> StatsTable:
    """Rows per child unit of ``root`` (a center gives its own row), each with figures, rate and drill-down."""
    keys = [k for k, _label in columns()]
    rows = []
    for row in rollup_children(root, per_center(root, period)):
        figures = {k: int(row["figures"].get(k, 0)) for k in keys}
        unit = row["unit"]
        rows.append({"unit": unit, "figures": figures, "values": [figures[k] for k in keys], "rate": rate(figures),
                     "drill": unit.pk != root.pk and unit.kind not in (UnitKind.CENTER, UnitKind.OUTLET)})
    summed = {k: int(v) for k, v in total([{"figures": r["figures"]} for r in rows]).items()}
    summed = {k: summed.get(k, 0) for k in keys}
    return StatsTable(root, period, rows, {"figures": summed, "values": [summed[k] for k in keys],
                                           "rate": rate(summed)})


def chart_options(table: StatsTable) -> dict[str, dict]:
    """ECharts options: received by channel, by category, closed by outcome, and per unit."""
    fig = table.total["figures"]

    def bar(title, items):
        return {"title": {"text": title, "textStyle": {"fontSize": 13}}, "tooltip": {}, "animation": False,
                "grid": {"left": 40, "right": 10, "bottom": 60},
                "xAxis": {"type": "category", "data": [str(label) for _k, label in items],
                          "axisLabel": {"interval": 0, "rotate": 30}},
                "yAxis": {"type": "value", "minInterval": 1},
                "series": [{"type": "bar", "data": [fig.get(k, 0) for k, _l in items]}]}

    outcome = {"title": {"text": _("办结结论"), "textStyle": {"fontSize": 13}}, "tooltip": {"trigger": "item"},
               "animation": False,
               "series": [{"type": "pie", "radius": "60%",
                           "data": [{"name": str(label), "value": fig.get(f"out_{v}", 0)} for v, label in
                                    Outcome.choices]}]}
    units = {"title": {"text": _("各机构受理数与办结数"), "textStyle": {"fontSize": 13}}, "tooltip": {},
             "animation": False, "legend": {"top": 28, "left": "left"},  # below the title, never over it
             "grid": {"left": 40, "right": 10, "top": 64, "bottom": 80},
             "xAxis": {"type": "category", "data": [r["unit"].name for r in table.rows],
                       "axisLabel": {"interval": 0, "rotate": 30}},
             "yAxis": {"type": "value", "minInterval": 1},
             "series": [{"type": "bar", "name": _("受理数"), "data": [r["figures"]["received"] for r in table.rows]},
                        {"type": "bar", "name": _("办结数"), "data": [r["figures"]["closed"] for r in table.rows]}]}
    return {
        "channel": bar(_("按渠道"), [(f"ch_{v}", label) for v, label in Channel.choices]),
        "category": bar(_("按类别"), [(f"cat_{v}", label) for v, label in Category.choices]),
        "outcome": outcome,
        "units": units,
    }


def table_as_json(table: StatsTable) -> dict:
    """The API shape: paginated-like, each row carrying the unit's ``id``."""
    def row(unit, figures, r):
        return {"id": unit.pk if unit else None, "unit": unit.name if unit else _("合计"),
                "kind": unit.kind if unit else "", **figures, "in_time_rate": None if r is None else round(r, 4)}

    results = [row(r["unit"], r["figures"], r["rate"]) for r in table.rows]
    return {"count": len(results), "next": None, "previous": None, "title": table.title,
            "period": table.period.kind, "start": table.period.start.isoformat(),
            "end": table.period.end.isoformat(), "root": {"id": table.root.pk, "name": table.root.name},
            "results": results, "total": row(None, table.total["figures"], table.total["rate"])}


def table_export(request, table: StatsTable):
    """The table as .xlsx in the handbook's layout (core.exports: watermark, one audit row)."""
    from wealthdesk.core.exports import export_response, filters_from

    headers = [_("机构")] + [label for _k, label in columns()] + [_("按期答复率")]

    def fmt(r):
        return "—" if r is None else f"{r * 100:.1f}%"

    rows = [[r["unit"].name, *r["values"], fmt(r["rate"])] for r in table.rows]
    rows.append([_("合计"), *table.total["values"], fmt(table.total["rate"])])
    return export_response(user=request.user, title=table.title, headers=headers, rows=rows, unit=table.root.name,
                           period=table.period.label, filters=filters_from(request.GET), audit_unit_id=table.root.pk,
                           audit_detail={"period": table.period.label},
                           filename=f"{table.title.strip('《》')}-{table.period.label}.xlsx")
