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
from wealthdesk.core.rollup import rollup_children
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


def monitor(unit: OrgUnit, today: dt.date) -> dict:
    """Rows per rule for ``unit``'s subtree, the same per child unit, and the ten weakest centers."""
    centers = list(OrgUnit.objects.filter(path__startswith=unit.path, kind=UnitKind.CENTER, is_active=True)
                   .only("id", "name", "path", "parent_id", "kind"))
    center_ids = [c.pk for c in centers]
    measures = compliance_measures()
    per_center: dict[int, dict[str, float]] = defaultdict(dict)
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
        for cid, f in figures.items():
            row.due += f["due"]
            row.done += f["done"]
            row.overdue += f["overdue"]
            for part in ("due", "done", "overdue"):
                per_center[cid][f"{key}:{part}"] = f[part]
        rows.append(row)
    measured = [r.key for r in rows if r.measured]
    children = [_unit_row(r["unit"], r["figures"], measured) for r in rollup_children(unit, per_center)]
    children.sort(key=lambda r: (r.rate if r.rate is not None else 2.0, r.unit.path))
    weakest = sorted((_unit_row(c, per_center.get(c.pk, {}), measured) for c in centers),
                     key=lambda r: (r.rate if r.rate is not None else 2.0, -r.overdue, r.unit.path))[:WEAKEST]
    total = _unit_row(unit, {f"{r.key}:{p}": getattr(r, p) for r in rows if r.measured
                             for p in ("due", "done", "overdue")}, measured)
    return {"unit": unit, "today": today, "rows": rows, "children": children,
            "weakest": [w for w in weakest if w.due], "total": total, "centers": len(centers),
            "measured": len(measured), "unmeasured": len(rows) - len(measured)}


def _unit_row(unit: OrgUnit, figures: dict, keys: list[str]) -> UnitRow:
    row = UnitRow(unit)
    for key in keys:
        due, done, overdue = (int(figures.get(f"{key}:{p}", 0)) for p in ("due", "done", "overdue"))
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
