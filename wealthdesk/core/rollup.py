"""Roll figures up the org tree (R1: every figure rolls up; each level sees its own subtree).

Give per-center figures (``{center_id: {"made": 3, "converted": 1}}``) and a root unit; get one row per
child of the root with the sums of everything beneath it, ready for a table with drill-down links.
Roll-up sums always equal the sum of the centers (tested).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from wealthdesk.orgs.models import OrgUnit


def unit_in_scope(user, unit_id=None) -> OrgUnit:
    """The drill-down root: the user's own unit, or a unit of its subtree named by ``unit_id`` (a query
    parameter). Anything else — not a number, unknown, an ancestor, another branch — is a 404 (never a 500)."""
    from django.http import Http404
    from django.utils.translation import gettext as _

    from .scoping import scope_for

    scope = scope_for(user)
    if not scope.unit_path:
        raise Http404(_("您没有所属机构。"))
    if unit_id in (None, ""):
        unit_id = scope.unit_id
    elif not str(unit_id).strip().isdigit() or len(str(unit_id).strip()) > 18:
        raise Http404(_("机构编号“%(v)s”无效。") % {"v": str(unit_id)[:40]})
    unit = OrgUnit.objects.filter(path__startswith=scope.unit_path, pk=int(unit_id)).first()
    if unit is None:
        raise Http404(_("机构不存在或不在您的管辖范围内。"))
    return unit


def breadcrumbs(user, root: OrgUnit) -> list[OrgUnit]:
    """The ancestors of ``root`` the user may open (from their own unit down), for the way back up."""
    from .scoping import scope_for

    scope = scope_for(user)
    return [u for u in root.ancestors() if u.path.startswith(scope.unit_path) and u.pk != root.pk]


def rollup_children(root: OrgUnit, per_unit: Mapping[int, Mapping[str, float]]) -> list[dict]:
    """Rows for ``root``'s children (or for ``root`` itself if it is a center): unit, figures summed."""
    units = list(OrgUnit.objects.filter(path__startswith=root.path)
                 .only("id", "path", "name", "code", "kind", "parent_id"))  # code: the pages' data-unit
    path_of = {u.pk: u.path for u in units}
    children = [u for u in units if u.parent_id == root.pk] or [root]
    sums: dict[int, dict[str, float]] = {c.pk: defaultdict(float) for c in children}
    for unit_id, figures in per_unit.items():
        path = path_of.get(unit_id)
        if path is None:
            continue
        for child in children:
            if path.startswith(child.path):
                for key, value in figures.items():
                    sums[child.pk][key] += value or 0
                break
    return [{"unit": c, "figures": dict(sums[c.pk])} for c in children]


def total(rows: list[dict]) -> dict[str, float]:
    out: dict[str, float] = defaultdict(float)
    for row in rows:
        for key, value in row["figures"].items():
            out[key] += value
    return dict(out)


def subtree_sums(units, per_unit: Mapping[int, Mapping[str, float]]) -> dict[int, dict[str, float]]:
    """For each of ``units`` (any level), the sums of ``per_unit`` over the units of its subtree (itself included).

    The per-unit figures come from the selector that serves the center, so a branch's figure is by construction
    the sum of its centers' (R1). One query for the paths, none per unit.
    """
    units = list(units)
    ids = set(per_unit)
    path_of = dict(OrgUnit.objects.filter(pk__in=ids).values_list("pk", "path")) if ids else {}
    out: dict[int, dict[str, float]] = {}
    for unit in units:
        sums: dict[str, float] = defaultdict(float)
        for unit_id, figures in per_unit.items():
            path = path_of.get(unit_id, "")
            if path.startswith(unit.path):
                for key, value in figures.items():
                    sums[key] += value or 0
        out[unit.pk] = dict(sums)
    return out
