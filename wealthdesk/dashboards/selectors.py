"""Reads of the roll-up dashboards (R1): one dashboard per unit, drilled down the tree.

A unit's figures are the sums of its centers' figures, computed by the registered unit figures
(``core.registry.register_unit_figures``) for every center of the subtree at once and summed up the tree by
``core.rollup`` — so a branch's figure is by construction the sum of its children's. Shares (coverage, in-time
rates) are recomputed from the summed parts at each level. At a center the rows are its client managers
(the sources that have a meaning per person). Flow figures are compared with the same span of the previous month
and of the same month a year before; state figures (customers, AUM, maturities coming) are as of now.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from wealthdesk.core.registry import UnitFigure, compute_unit_figures, unit_figure_sources, unit_figures, with_ratios
from wealthdesk.core.roles import Role
from wealthdesk.core.rollup import breadcrumbs as unit_breadcrumbs
from wealthdesk.core.rollup import rollup_children, unit_in_scope
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import User

DASHBOARD_ROLES = frozenset({Role.CENTER_HEAD, Role.SUBBRANCH_SERVICE, Role.BRANCH_SERVICE, Role.HQ_SERVICE})


class PeriodError(ValueError):
    """A period the dashboard cannot show (bad format, in the future, before the data): the message says why."""


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        return f"{self.start:%Y-%m}"

    def shifted(self, months: int) -> Period:
        """The same span (from the first of the month) ``months`` earlier."""
        y, m = divmod(self.start.year * 12 + self.start.month - 1 - months, 12)
        start = dt.date(y, m + 1, 1)
        last = dt.date(y, m + 1, calendar.monthrange(y, m + 1)[1])
        return Period(start, min(last, start + (self.end - self.start)))


def data_start() -> dt.date | None:
    """The first day the system holds data for: the first loaded balance, or the first customer entered."""
    from wealthdesk.corebanking.models import DailyBalance
    from wealthdesk.customers.models import Customer

    days = [DailyBalance.objects.aggregate(d=Min("as_of"))["d"]]
    first_customer = Customer.objects.aggregate(d=Min("created_at"))["d"]
    if first_customer:
        days.append(timezone.localtime(first_customer).date())
    days = [d for d in days if d]
    return min(days) if days else None


def parse_period(value: str | None, *, today: dt.date | None = None) -> Period:
    """``YYYY-MM`` (default: this month, up to today). A month in the future or ending before the data → message."""
    today = today or timezone.localdate()
    value = (value or "").strip()
    if not value:
        return Period(today.replace(day=1), today)
    try:
        year, month = (int(x) for x in value.split("-"))
        start = dt.date(year, month, 1)
    except (TypeError, ValueError):
        raise PeriodError(_("统计月份格式应为 YYYY-MM，例如 2026-11。")) from None
    if start > today:
        raise PeriodError(_("统计月份 %(m)s 还没有到来，请选择本月或以前的月份。") % {"m": value})
    end = min(dt.date(year, month, calendar.monthrange(year, month)[1]), today)
    first = data_start()
    if first and end < first:
        raise PeriodError(_("统计月份 %(m)s 早于系统数据的起始日期 %(d)s，没有可统计的数据。")
                          % {"m": value, "d": f"{first:%Y-%m-%d}"})
    return Period(start, end)


def root_for(user, unit_id=None) -> OrgUnit:
    """The user's own unit, or a unit of its subtree; anything else (an ancestor, another branch) → 404."""
    return unit_in_scope(user, unit_id)


def breadcrumbs(user, root: OrgUnit) -> list[OrgUnit]:
    """The ancestors of ``root`` the user may open (from their own unit down), for the way back up."""
    return unit_breadcrumbs(user, root)


def compute(ids: list, start: dt.date, end: dt.date, *, by: str = "center",
            flow_only: bool = False) -> dict[int, dict[str, float]]:
    return compute_unit_figures(ids, start, end, by=by, flow_only=flow_only)


def sum_figures(per_id: dict[int, dict[str, float]]) -> dict[str, float]:
    total: dict[str, float] = {}
    for figures in per_id.values():
        for key, value in figures.items():
            total[key] = total.get(key, 0) + (value or 0)
    return total


@dataclass
class Row:
    id: int
    name: str
    kind: str
    figures: dict
    drill: bool = False  # the row's unit has a dashboard of its own to open


@dataclass
class Dashboard:
    root: OrgUnit
    period: Period
    figures: list[UnitFigure]
    total: dict
    previous: dict
    last_year: dict
    rows: list[Row] = field(default_factory=list)
    rows_are_staff: bool = False

    def groups(self) -> list[tuple[str, list[UnitFigure]]]:
        out: list[tuple[str, list[UnitFigure]]] = []
        for f in self.figures:
            if not out or out[-1][0] != str(f.group):
                out.append((str(f.group), []))
            out[-1][1].append(f)
        return out

    def comparison(self) -> list[dict]:
        """Per figure: this period, the previous month, the same month last year and the changes (flows only)."""
        out = []
        for f in self.figures:
            now = self.total.get(f.key)
            item = {"figure": f, "value": now, "previous": None, "last_year": None, "mom": None, "yoy": None}
            if f.flow:
                prev, ly = self.previous.get(f.key), self.last_year.get(f.key)
                item.update(previous=prev, last_year=ly, mom=_change(now, prev, f), yoy=_change(now, ly, f))
            out.append(item)
        return out


def _change(now, before, f: UnitFigure):
    if now is None or before is None:
        return None
    if f.unit == "percent":
        return round(now - before, 4)  # percentage points
    return round((now - before) / before, 4) if before else None


def client_managers(center: OrgUnit) -> list[User]:
    return list(User.objects.filter(unit_id=center.pk, is_active=True, role_assignments__role=Role.CLIENT_MANAGER)
                .distinct().order_by("username"))


def dashboard(user, root: OrgUnit, period: Period) -> Dashboard:
    """The dashboard of ``root`` for ``period`` (the caller has checked ``root`` with ``root_for``)."""
    defs = unit_figures()
    flow_keys = {f.key for f in defs if f.flow} | {p for f in defs if f.ratio and f.flow for p in f.ratio}
    ids = OrgUnit.objects.filter(path__startswith=root.path).values("pk")  # a subquery, not 1,334 parameters
    per_center = compute(ids, period.start, period.end)
    total_raw = sum_figures(per_center)

    def compared(p: Period) -> dict:
        raw = sum_figures(compute(ids, p.start, p.end, flow_only=True))
        # State figures are as of now: the shares of an earlier period use today's denominators.
        merged = {k: (raw.get(k, 0) if k in flow_keys else v) for k, v in total_raw.items()}
        merged.update({k: v for k, v in raw.items() if k in flow_keys})
        return with_ratios(merged, defs)

    board = Dashboard(root=root, period=period, figures=defs, total=with_ratios(total_raw, defs),
                      previous=compared(period.shifted(1)), last_year=compared(period.shifted(12)))
    if root.kind in (UnitKind.CENTER, UnitKind.OUTLET):
        staff = client_managers(root)
        per_staff = compute([u.pk for u in staff], period.start, period.end, by="staff")
        staff_keys = {f.key for s in unit_figure_sources() if s.staff for f in s.figures}
        board.rows = [Row(u.pk, str(u), "staff", {k: v for k, v in with_ratios(per_staff.get(u.pk, {}), defs).items()
                                                    if k in staff_keys}) for u in staff]
        board.rows_are_staff = True
    else:
        for entry in rollup_children(root, per_center):
            unit = entry["unit"]
            if unit.pk == root.pk:
                continue
            board.rows.append(Row(unit.pk, unit.name, unit.kind, with_ratios(entry["figures"], defs), drill=True))
    return board
