"""Reads of targets and performance sheets, always from ``visible_to`` (DESIGN rule 1)."""
from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from wealthdesk.core.registry import metric_records, metrics
from wealthdesk.core.roles import Reach
from wealthdesk.core.scoping import scope_for

from . import scoring
from .choices import DEDUCTIONS, PeriodKind
from .models import PerformanceSheet, Target
from .progress import progress_for


def target_list(user, *, period_kind: str = "", period_start: dt.date | None = None, indicator: str = "",
                level: str = "") -> QuerySet[Target]:
    qs = Target.objects.visible_to(user).select_related("indicator", "unit", "staff")
    if period_kind:
        qs = qs.filter(period_kind=period_kind)
    if period_start:
        qs = qs.filter(period_start=period_start)
    if indicator:
        qs = qs.filter(indicator__code=indicator)
    if level == "unit":
        qs = qs.filter(staff__isnull=True)
    elif level == "staff":
        qs = qs.filter(staff__isnull=False)
    return qs


def get_target(user, pk) -> Target:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Target.objects.visible_to(user).select_related("indicator", "unit", "staff", "parent"),
                             pk=pk)


def parts_with_progress(user, target: Target) -> list[tuple[Target, object]]:
    parts = list(Target.objects.visible_to(user).filter(parent=target).select_related("indicator", "unit", "staff")
                 .order_by("unit__code", "staff__username"))
    progress = progress_for(parts)
    return [(p, progress[p.pk]) for p in parts]


def behind(user, *, today: dt.date | None = None) -> list[tuple[Target, object]]:
    """The head's view of who is behind this month: staff targets whose actual is under the pace (R33)."""
    today = today or timezone.localdate()
    scope = scope_for(user)
    qs = (Target.objects.visible_to(user).filter(period_kind=PeriodKind.MONTH, period_start=today.replace(day=1),
                                                 staff__isnull=False, unit_id=scope.unit_id)
          .select_related("indicator", "unit", "staff").order_by("staff__username", "indicator__order"))
    targets = list(qs[:500])
    progress = progress_for(targets, today)
    return [(t, progress[t.pk]) for t in targets if progress[t.pk].behind]


def sheet_list(user, *, month: dt.date | None = None, status: str = "") -> QuerySet[PerformanceSheet]:
    qs = PerformanceSheet.objects.visible_to(user).select_related("unit", "closed_by")
    if month:
        qs = qs.filter(period_start=month.replace(day=1))
    if status == "closed":
        qs = qs.filter(closed_at__isnull=False)
    elif status == "open":
        qs = qs.filter(closed_at__isnull=True)
    return qs


def get_sheet(user, pk) -> PerformanceSheet:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(sheet_list(user), pk=pk)


def sees_whole_sheet(user, sheet: PerformanceSheet) -> bool:
    """The head and the upper levels see every line; a scored staff member only their own (R34 permission)."""
    return scope_for(user).reach >= Reach.SUBTREE


def live_scores(sheets) -> dict[int, list]:
    """``{sheet id: [StaffScore]}`` for the open sheets of a list page: one set-based scoring pass for every month
    on the page (``scoring.months_scores``), so the list runs the same queries for one center or head office's
    hundreds, one month or several (issue 16). Closed sheets are read from their frozen copy and need nothing."""
    by_month: dict[dt.date, list[PerformanceSheet]] = {}
    for sheet in sheets:
        if not sheet.is_closed:
            by_month.setdefault(sheet.period_start, []).append(sheet)
    if not by_month:
        return {}
    scores = scoring.months_scores({m: [s.unit_id for s in group] for m, group in by_month.items()})
    out: dict[int, list] = {}
    for month, group in by_month.items():
        for sheet in group:
            out[sheet.pk] = scores[month].get(sheet.unit_id, [])
    return out


def sheet_scores(user, sheet: PerformanceSheet, live: dict[int, list] | None = None) -> list[dict]:
    """The lines of the sheet this user may see: the frozen copy once the month is closed, else live (from
    ``live``, a page's ``live_scores``, when given)."""
    if sheet.is_closed:
        lines = list(sheet.frozen.get("staff", []))
    else:
        scores = live[sheet.pk] if live is not None and sheet.pk in live else scoring.sheet_scores(sheet)
        lines = [s.as_dict() for s in scores]
    if not sees_whole_sheet(user, sheet):
        lines = [line for line in lines if line["user_id"] == user.pk]
    return lines


def center_line(sheet: PerformanceSheet, lines: list[dict]) -> dict:
    if sheet.is_closed:
        return sheet.frozen.get("center", {})
    scores = [scoring.StaffScore(**{k: v for k, v in line.items() if k not in ("lines", "deductions")})
              for line in lines]
    return scoring.center_summary(scores)


def staff_line(user, sheet: PerformanceSheet, staff_id: int) -> dict | None:
    for line in sheet_scores(user, sheet):
        if line["user_id"] == staff_id:
            return line
    return None


def record_source(line: dict, key: str) -> dict | None:
    """What a drill-down key names on a staff line: one of its indicators or one of the deductions."""
    for item in line["lines"]:
        if item["code"] == key:
            return {"kind": "indicator", "metric": item["metric_key"], "label": item["name"], "figure": item["actual"],
                    "unit": item["unit"]}
    if key in DEDUCTIONS:
        count = next((d["count"] for d in line["deductions"] if d["key"] == key), 0)
        return {"kind": "deduction", "metric": key, "label": str(DEDUCTIONS[key][1]), "figure": count, "unit": "count"}
    return None


def drill_down(sheet: PerformanceSheet, staff_id: int, metric_key: str):
    """The records one figure of the sheet was computed from (None: the metric cannot list them)."""
    if metric_key not in metrics():
        return None
    return metric_records(metric_key, staff_id, sheet.period_start, sheet.period_end)


def sheet_averages(sheets, live: dict[int, list] | None = None) -> dict[int, float]:
    """The center's average score of each listed sheet (the upper levels' overview of their subtree): the frozen
    figure once closed, else from the page's live scores (``live_scores``, computed here when not given) — only
    the sheets on the page, every month of them in one scoring pass (bounded queries)."""
    live = live_scores(sheets) if live is None else live
    out: dict[int, float] = {}
    for sheet in sheets:
        if sheet.is_closed:
            out[sheet.pk] = float(sheet.frozen.get("center", {}).get("total", 0.0))
        elif sheet.pk in live:
            out[sheet.pk] = scoring.center_summary(live[sheet.pk])["total"]
    return out
