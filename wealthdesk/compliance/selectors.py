"""The compliance monitor's reads: every rule's figures for a unit's subtree, its children and its weakest centers.

Each registered measure counts per center in one or a few grouped queries; a level's figure is the sum of its
centers' (``core.rollup``), so a branch's row always equals the sum of its sub-branches' rows (R1).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _g

from wealthdesk.core.dates import QueryParamError, parse_date_param
from wealthdesk.core.registry import compliance_measures
from wealthdesk.core.scoping import scope_for
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.orgs.models import OrgUnit

from .catalogue import RULES

WEAKEST = 10


@dataclass
class RuleRow:
    key: str
    rule: str
    label: str
    measured: bool
    period: str = ""
    due: int = 0
    done: int = 0
    overdue: int = 0
    url: str = ""

    @property
    def rate(self) -> float | None:
        return self.done / self.due if self.due else None


@dataclass
class UnitRow:
    unit: OrgUnit
    rules: dict[str, dict] = field(default_factory=dict)
    cells: list[dict] = field(default_factory=list)  # the rules' figures in the order of the monitor's columns
    due: int = 0
    done: int = 0
    overdue: int = 0

    @property
    def rate(self) -> float | None:
        return self.done / self.due if self.due else None


def monitor_unit(user, unit_id) -> OrgUnit:
    """The unit a user may open: their own unit or one below it; anything else is 404."""
    scope = scope_for(user)
    if not scope.unit_path:
        raise Http404
    if unit_id in (None, ""):
        return OrgUnit.objects.get(pk=scope.unit_id)
    try:
        return OrgUnit.objects.get(pk=int(unit_id), path__startswith=scope.unit_path)
    except (ValueError, OrgUnit.DoesNotExist):
        raise Http404 from None


def as_of(value: str | None) -> dt.date:
    today = timezone.localdate()
    day = parse_date_param(value, name="date", default=today)
    if day > today:
        raise QueryParamError("date", _g("监测日期不能晚于今天。"))
    return day


def monitor(unit: OrgUnit, today: dt.date, *, detail: bool = True) -> dict:
    """Rows per rule for ``unit``'s subtree, the same per child unit, and the ten weakest centers.

    Bank-sized (issue 16: 1,334 centers at head office): each measure answers per center in a fixed number of
    queries; the children are summed in one pass over the centers (a center's child of ``unit`` is read off its
    materialized path, the same subtree sums as ``core.rollup.rollup_children``) and only the ten weakest centers
    get a full row — no per-center dictionaries of every rule for the whole bank. ``detail=False`` (the head's
    panel, which shows the rules and the total only) leaves the children and the weakest centers out."""
    centers = list(OrgUnit.objects.filter(path__startswith=unit.path, kind=UnitKind.CENTER, is_active=True)
                   .only("id", "name", "path", "parent_id", "kind", "code"))
    center_ids = [c.pk for c in centers]
    measures = compliance_measures()
    # per center and rule key: (due, done, overdue)
    per_center: dict[int, dict[str, tuple[int, int, int]]] = defaultdict(dict)
    rows: list[RuleRow] = []
    catalogue = [rule for rule, _label in RULES]
    labels = dict(RULES)
    # the catalogue's order; a rule may have several measures (one per app that counts it); measures of rules the
    # catalogue does not list come last
    planned: list[tuple[str, object]] = []
    for rule in catalogue:
        mine = [m for m in measures if m.rule == rule]
        planned += [(rule, m) for m in mine] or [(rule, None)]
    planned += [(m.rule, m) for m in measures if m.rule not in labels]
    for rule, measure in planned:
        if measure is None:
            rows.append(RuleRow(rule, rule, str(labels[rule]), measured=False))
            continue
        key = measure.key
        figures = measure.compute(center_ids, today) if center_ids else {}
        row = RuleRow(key, measure.rule, str(measure.label), measured=True, period=measure.period,
                      url=measure.overdue_url(unit) if measure.overdue_url else "")
        due = done = overdue = 0
        for cid, f in figures.items():
            triple = (f["due"], f["done"], f["overdue"])
            due += triple[0]
            done += triple[1]
            overdue += triple[2]
            per_center[cid][key] = triple
        row.due, row.done, row.overdue = due, done, overdue
        rows.append(row)
    measured = [r.key for r in rows if r.measured]
    children: list[UnitRow] = []
    weakest: list[UnitRow] = []
    if detail:
        children = [_unit_row(child, figures, measured)
                    for child, figures in _children_sums(unit, centers, per_center)]
        children.sort(key=lambda r: (r.rate if r.rate is not None else 2.0, r.unit.path))
        weakest = [_unit_row(c, per_center.get(c.pk, {}), measured) for c in _weakest(centers, per_center, measured)]
    total = _unit_row(unit, {r.key: (r.due, r.done, r.overdue) for r in rows if r.measured}, measured)
    return {"unit": unit, "today": today, "rows": rows, "children": children,
            "weakest": weakest, "total": total, "centers": len(centers),
            "measured": len(measured), "unmeasured": len(rows) - len(measured)}


def _children_sums(unit: OrgUnit, centers: list[OrgUnit], per_center: dict) -> list[tuple[OrgUnit, dict]]:
    """``unit``'s children (``unit`` itself when it has none, i.e. a center) with the sums of their centers'
    figures: one query for the children, one pass over the centers (R1: a level is the sum of its centers)."""
    children = list(OrgUnit.objects.filter(parent_id=unit.pk).only("id", "path", "name", "code", "kind", "parent_id")
                    .order_by("path")) or [unit]
    by_id = {c.pk: c for c in children}
    depth = len([p for p in unit.path.split("/") if p])
    sums: dict[int, dict[str, list[int]]] = {c.pk: {} for c in children}
    for center in centers:
        figures = per_center.get(center.pk)
        if not figures:
            continue
        parts = [p for p in center.path.split("/") if p]
        child_id = int(parts[depth]) if len(parts) > depth else unit.pk
        if child_id not in by_id:
            continue
        acc = sums[child_id]
        for key, (due, done, overdue) in figures.items():
            cell = acc.get(key)
            if cell is None:
                acc[key] = [due, done, overdue]
            else:
                cell[0] += due
                cell[1] += done
                cell[2] += overdue
    return [(c, sums[c.pk]) for c in children]


def _weakest(centers: list[OrgUnit], per_center: dict, keys: list[str]) -> list[OrgUnit]:
    """The ten centers with the lowest overall rate (then the most overdue, then the path), among those with
    anything due — ranked on three sums per center, full rows built for these ten only."""
    ranked = []
    for center in centers:
        figures = per_center.get(center.pk, {})
        due = done = overdue = 0
        for key in keys:
            f = figures.get(key)
            if f is not None:
                due += int(f[0])
                done += int(f[1])
                overdue += int(f[2])
        if due:
            ranked.append((done / due, -overdue, center.path, center))
    ranked.sort(key=lambda r: r[:3])
    return [r[3] for r in ranked[:WEAKEST]]


def _unit_row(unit: OrgUnit, figures: dict, keys: list[str]) -> UnitRow:
    """A unit's row from ``{rule key: (due, done, overdue)}``."""
    row = UnitRow(unit)
    for key in keys:
        due, done, overdue = (int(v) for v in figures.get(key, (0, 0, 0)))
        row.rules[key] = {"key": key, "due": due, "done": done, "overdue": overdue,
                          "rate": done / due if due else None}
        row.cells.append(row.rules[key])
        row.due += due
        row.done += done
        row.overdue += overdue
    return row


def ancestors(unit: OrgUnit, user) -> list[OrgUnit]:
    """The breadcrumb from the user's own unit down to ``unit``."""
    scope = scope_for(user)
    ids = [int(p) for p in unit.path.strip("/").split("/") if p]
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=ids, path__startswith=scope.unit_path)}
    return [units[i] for i in ids if i in units]
