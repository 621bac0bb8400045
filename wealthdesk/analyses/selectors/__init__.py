"""Reads of the analyses app (R36): the six analyses, the units and half-years one may choose, the narratives."""
from __future__ import annotations

from collections.abc import Iterator

from django.http import Http404
from django.utils import timezone

from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.orgs.models import OrgUnit

from ..choices import AnalysisKind
from ..models import AnalysisNarrative, AnalysisSnapshot
from ..periods import HalfYear
from . import channels, contribution, groups, investment, products, risk
from .base import Context, Result

COMPUTE = {
    AnalysisKind.CONTRIBUTION: contribution.compute,
    AnalysisKind.PRODUCTS: products.compute,
    AnalysisKind.CHANNELS: channels.compute,
    AnalysisKind.INVESTMENT: investment.compute,
    AnalysisKind.GROUPS: groups.compute,
    AnalysisKind.RISK: risk.compute,
}
# Who reads the analyses: the center head and the upper levels' service desks, for their own unit and below.
READER_ROLES = frozenset({Role.CENTER_HEAD, Role.SUBBRANCH_SERVICE, Role.BRANCH_SERVICE, Role.HQ_SERVICE})
# Who writes a unit's narrative: those positions, for their own unit only.
WRITER_ROLES = READER_ROLES


def unit_for(user, unit_id) -> OrgUnit:
    """The unit asked for: the user's own by default, or any unit of its subtree — else 404."""
    scope = scope_for(user)
    if not scope.unit_path:
        raise Http404
    qs = OrgUnit.objects.filter(path__startswith=scope.unit_path)
    if unit_id in (None, ""):
        return qs.get(pk=scope.unit_id)
    if not str(unit_id).isdigit() or len(str(unit_id)) > 12:
        raise Http404
    unit = qs.filter(pk=int(unit_id)).first()
    if unit is None:
        raise Http404
    return unit


def child_units(unit: OrgUnit) -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(parent=unit, is_active=True).order_by("code"))


def breadcrumbs(user, unit: OrgUnit) -> list[OrgUnit]:
    scope = scope_for(user)
    return list(unit.ancestors().filter(path__startswith=scope.unit_path)) if scope.unit_path else []


def analysis(user, kind: str, unit: OrgUnit, period: HalfYear, *, page: int = 1) -> Result:
    ctx = Context(user=user, unit=unit, period=period, today=timezone.localdate())
    if kind == AnalysisKind.RISK:
        return risk.compute(ctx, page=page)
    return COMPUTE[kind](ctx)


def snapshot(user, kind: str, unit: OrgUnit, period: HalfYear) -> AnalysisSnapshot | None:
    """The stored analysis (with its last job) of the unit and half-year, as the user may read it (one query)."""
    return AnalysisSnapshot.objects.visible_to(user).filter(kind=kind, unit=unit, period_start=period.start).select_related(
        "job", "computed_by").first()


def snapshots(user, unit: OrgUnit, period: HalfYear) -> dict[str, AnalysisSnapshot]:
    return {s.kind: s for s in AnalysisSnapshot.objects.visible_to(user).filter(unit=unit, period_start=period.start)
            .select_related("job").defer("result")}


def stored_result(user, snap: AnalysisSnapshot | None, unit: OrgUnit, period: HalfYear, *,
                  page: int = 1) -> Result | None:
    """The snapshot's figures as a ``Result``; for the risk analysis the mismatch list's page is read live (one
    paged query: the stored snapshot keeps its first page, the list itself may have thousands of rows)."""
    if snap is None or snap.result is None:
        return None
    result = Result.from_store(snap.result)
    if snap.kind == AnalysisKind.RISK and not result.empty and page > 1:
        ctx = Context(user=user, unit=unit, period=period, today=timezone.localdate())
        idx = next(i for i, t in enumerate(result.tables) if t.key == "mismatches")
        result.tables[idx] = risk._mismatch_table(ctx, result.figure("mismatches") or 0, page)
    return result


def export_rows(user, kind: str, unit: OrgUnit, period: HalfYear, result: Result | None = None) -> Iterator[list]:
    """Every table of the analysis, one after the other (title row, header row, data), then for the risk
    analysis the whole mismatch list streamed from the database. ``result``: the stored figures to export
    (computed live when not given)."""
    ctx = Context(user=user, unit=unit, period=period, today=timezone.localdate())
    result = result if result is not None else analysis(user, kind, unit, period)
    if result.empty:
        yield [result.empty]
        return
    for _key, label, value in result.figures:
        yield [str(label), value]
    for table in result.tables:
        if table.key == "mismatches":
            continue
        yield []
        yield [f"【{table.title}】"]
        yield [str(h) for h in table.headers]
        yield from table.rows
        if table.note:
            yield [str(table.note)]
    if kind == AnalysisKind.RISK:
        yield []
        yield [f"【{result.table('mismatches').title}】"]
        yield risk.mismatch_headers()
        for holding in risk.mismatches(ctx).iterator(chunk_size=2000):
            yield risk.mismatch_row(holding)


def narrative(user, kind: str, unit: OrgUnit, period: HalfYear) -> AnalysisNarrative | None:
    return AnalysisNarrative.objects.visible_to(user).filter(kind=kind, unit=unit, period_start=period.start).select_related(
        "updated_by").first()


def narratives(user, unit: OrgUnit, period: HalfYear) -> dict[str, AnalysisNarrative]:
    return {n.kind: n for n in AnalysisNarrative.objects.visible_to(user).filter(unit=unit, period_start=period.start)}


def can_write(user, unit: OrgUnit) -> bool:
    scope = scope_for(user)
    return scope.has(*WRITER_ROLES) and scope.unit_id == unit.pk


def staff_reports(user, unit: OrgUnit, period: HalfYear) -> list:
    """The client managers' semiannual analyses (R19) of the half-year in the unit's subtree that the user may
    read (the reports app's own scope) — "plus staff reports" of R36."""
    from wealthdesk.reports.choices import ReportKindChoice
    from wealthdesk.reports.models import Report

    return list(Report.objects.visible_to(user).filter(kind=ReportKindChoice.SEMIANNUAL, period_start=period.start,
                                                       unit__path__startswith=unit.path)
                .select_related("unit", "author").order_by("unit__path", "author__username")[:50])
