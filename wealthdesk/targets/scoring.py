"""The performance sheet's arithmetic (R34), set-based over any number of staff members.

For each staff member and month, each indicator with a target scores ``actual ÷ target × weight``, the ratio
capped at the indicator's ``cap_percent``:

* up to 100 % of the weight counts in the **base** (≤ 100 points when the weights add up to 100);
* what the cap allows above 100 % becomes **bonus**, at most ``performance.max_bonus`` (10) points in all;
* a *negative* indicator (complaints) reads its target as a ceiling: at or under it the full weight, above it
  ``target ÷ actual`` of the weight (nothing when the ceiling is 0), never a bonus;
* a target of 0 on a positive indicator asks for nothing: the full weight;
* **deductions**: per record of each deduction metric (overdue complaint, missed VIP contact, customer question
  unanswered past 2 weeks) the points of its parameter;
* the head's **adjustments** (with reasons) are added; the total never falls below 0.

Queries: staff and their positions (2), the months' targets (1), one batch ``metric_values_windows`` per metric in
use and per deduction metric (every month at once: one grouped query each when the metric has a batch form), the
adjustments (1) — the same whatever the number of staff, centers or months.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from django.db.models import Sum

from wealthdesk.core.params import get_param
from wealthdesk.core.registry import metric_values_windows, metrics

from .choices import DEDUCTIONS, GROUP_ROLES, SCORED_ROLES, Direction, PeriodKind, PositionGroup
from .models import Indicator, SheetAdjustment, Target, period_end_of


@dataclass
class IndicatorLine:
    code: str
    name: str
    metric_key: str
    unit: str
    direction: str
    weight: int
    cap_percent: int
    target: float
    actual: float
    ratio: float
    points: float
    bonus: float
    earned: float = 0.0


@dataclass
class DeductionLine:
    key: str
    label: str
    count: int
    per_item: float
    points: float


@dataclass
class StaffScore:
    user_id: int
    name: str
    username: str
    unit_id: int
    group: str
    lines: list[IndicatorLine] = field(default_factory=list)
    deductions: list[DeductionLine] = field(default_factory=list)
    base: float = 0.0
    bonus: float = 0.0
    deduction_points: float = 0.0
    adjustment_points: float = 0.0
    total: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)


def ratio_of(direction: str, target: float, actual: float, cap_percent: int) -> float:
    """The indicator's achievement ratio, capped (see the module docstring)."""
    cap = cap_percent / 100
    if direction == Direction.NEGATIVE:
        if actual <= target:
            return 1.0
        return 0.0 if target <= 0 else target / actual
    if target <= 0:
        return 1.0
    return min(actual / target, cap)


def score_line(indicator: Indicator, weight: int, target: float, actual: float) -> IndicatorLine:
    ratio = ratio_of(indicator.direction, target, actual, indicator.cap_percent)
    return IndicatorLine(indicator.code, str(indicator.name), indicator.metric_key, indicator.unit, indicator.direction,
                         weight, indicator.cap_percent, round(target, 2), round(actual, 2), round(ratio, 4),
                         round(weight * min(ratio, 1.0), 2), round(weight * max(ratio - 1.0, 0.0), 2),
                         round(weight * ratio, 2))


def group_of(roles) -> str:
    if set(roles) & GROUP_ROLES[PositionGroup.CLIENT_MANAGER]:
        return PositionGroup.CLIENT_MANAGER
    return PositionGroup.FRONT_DESK


def scored_staff(unit_ids) -> list:
    """The active staff of the units who are scored (client managers, team leads, lobby managers, tellers), each
    with ``wd_group`` set to their position group."""
    from wealthdesk.staff.models import StaffRole, User

    roles: dict[int, set[str]] = defaultdict(set)
    for uid, role in (StaffRole.objects.filter(user__unit_id__in=list(unit_ids), user__is_active=True,
                                               role__in=SCORED_ROLES).values_list("user_id", "role")):
        roles[uid].add(role)
    users = list(User.objects.filter(pk__in=list(roles)).order_by("unit_id", "username"))
    for user in users:
        user.wd_group = group_of(roles[user.pk])
    return users


def score_staff(users, month: dt.date, *, adjustments: dict[int, float] | None = None,
                until: dt.date | None = None, targets=None) -> list[StaffScore]:
    """Score each user for the month starting ``month`` (set-based; see the module docstring). ``until`` (today,
    for the month under way) counts the records up to that day — the window the live progress of the same month
    reads, so a page showing both reads the same figures. ``targets``: the users' month targets when the caller
    has loaded them already (``select_related("indicator")``), saving the query for them."""
    return score_months({month: list(users)}, until=until, targets=targets,
                        adjustments=None if adjustments is None else {month: adjustments})[month]


def score_months(users_by_month: dict[dt.date, list], *,
                 adjustments: dict[dt.date, dict[int, float]] | None = None,
                 until: dt.date | None = None, targets=None) -> dict[dt.date, list[StaffScore]]:
    """Score the users of each month (``{month start: users}``) in one pass over all the months: one query for
    the targets, one batch ``metric_values_windows`` per metric and per deduction for every month at once, one for
    the adjustments — the same queries for one month or a page of them (issue 16). ``until``: as in
    ``score_staff``, for the month it falls in."""
    months = sorted(users_by_month)
    if not months:
        return {}

    def month_window(m: dt.date) -> tuple[dt.date, dt.date]:
        end = period_end_of(PeriodKind.MONTH, m)
        return (m, until) if until is not None and m <= until < end else (m, end)

    window = {m: month_window(m) for m in months}
    ids = sorted({u.pk for users in users_by_month.values() for u in users})
    wanted = {(u.pk, m) for m, users in users_by_month.items() for u in users}
    by_user: dict[tuple[int, dt.date], list[Target]] = defaultdict(list)
    if targets is not None:  # the caller's, in the order the query below gives
        targets = sorted((t for t in targets if t.staff_id in ids and t.period_kind == PeriodKind.MONTH
                          and t.period_start in months), key=lambda t: (t.indicator.order, t.indicator.code))
    elif ids:
        targets = (Target.objects.filter(staff_id__in=ids, period_kind=PeriodKind.MONTH, period_start__in=months)
                   .select_related("indicator").order_by("indicator__order", "indicator__code"))
    if ids:
        for t in targets:
            if (t.staff_id, t.period_start) in wanted:
                by_user[(t.staff_id, t.period_start)].append(t)
    windows_of_key: dict[str, set] = defaultdict(set)
    for (_uid, m), ts in by_user.items():
        for t in ts:
            windows_of_key[t.indicator.metric_key].add(window[m])
    actuals = {key: metric_values_windows(key, ids, ws) for key, ws in sorted(windows_of_key.items())}
    known = metrics()
    every = list(window.values())
    counts = {key: metric_values_windows(key, ids, every) if key in known else {} for key in DEDUCTIONS}
    per_item = {key: float(get_param(param)) for key, (param, _label) in DEDUCTIONS.items()}
    if adjustments is None:
        adjustments = adjustment_totals_by_month(ids, months)
    max_bonus = float(get_param("performance.max_bonus"))
    out: dict[dt.date, list[StaffScore]] = {}
    for m in months:
        w = window[m]
        out[m] = []
        for user in users_by_month[m]:
            score = StaffScore(user.pk, str(user), user.username, user.unit_id, getattr(user, "wd_group", ""))
            for t in by_user.get((user.pk, m), []):
                actual = float(actuals[t.indicator.metric_key].get(w, {}).get(user.pk, 0) or 0)
                score.lines.append(score_line(t.indicator, t.weight, float(t.amount), actual))
            for key, (_param, label) in DEDUCTIONS.items():
                n = int(counts[key].get(w, {}).get(user.pk, 0) or 0) if counts[key] else 0
                if n:
                    score.deductions.append(DeductionLine(key, str(label), n, per_item[key],
                                                          round(n * per_item[key], 2)))
            finish(score, max_bonus, adjustments.get(m, {}).get(user.pk, 0.0))
            out[m].append(score)
    return out


def finish(score: StaffScore, max_bonus: float, adjustment: float) -> None:
    score.base = round(sum(line.points for line in score.lines), 2)
    score.bonus = round(min(sum(line.bonus for line in score.lines), max_bonus), 2)
    score.deduction_points = round(sum(d.points for d in score.deductions), 2)
    score.adjustment_points = round(float(adjustment), 2)
    score.total = round(max(score.base + score.bonus - score.deduction_points + score.adjustment_points, 0.0), 2)


def adjustment_totals(user_ids, month: dt.date) -> dict[int, float]:
    return adjustment_totals_by_month(user_ids, [month]).get(month, {})


def adjustment_totals_by_month(user_ids, months) -> dict[dt.date, dict[int, float]]:
    """``{month: {staff id: points}}``: the head's adjustments of the months (one grouped query)."""
    out: dict[dt.date, dict[int, float]] = defaultdict(dict)
    rows = (SheetAdjustment.objects.filter(staff_id__in=list(user_ids), sheet__period_start__in=list(months))
            .values("sheet__period_start", "staff_id").annotate(total=Sum("points")).order_by())
    for r in rows:
        out[r["sheet__period_start"]][r["staff_id"]] = float(r["total"])
    return out


def center_summary(scores: list[StaffScore]) -> dict:
    """The center's line: staff counted, the average of each part and of the total, the lowest and highest."""
    n = len(scores)
    if not n:
        return {"staff": 0, "base": 0.0, "bonus": 0.0, "deductions": 0.0, "adjustments": 0.0, "total": 0.0,
                "lowest": 0.0, "highest": 0.0}

    def avg(attr):
        return round(sum(getattr(s, attr) for s in scores) / n, 2)

    totals = [s.total for s in scores]
    return {"staff": n, "base": avg("base"), "bonus": avg("bonus"), "deductions": avg("deduction_points"),
            "adjustments": avg("adjustment_points"), "total": avg("total"), "lowest": min(totals),
            "highest": max(totals)}


def sheet_scores(sheet) -> list[StaffScore]:
    """Live scores of a sheet's center (a closed sheet is read from its frozen copy instead, see selectors)."""
    return score_staff(scored_staff([sheet.unit_id]), sheet.period_start)


def branch_scores(center_ids, month: dt.date) -> dict[int, list[StaffScore]]:
    """Every center's staff scores in one pass (the same number of queries for 1 or 200 centers)."""
    return months_scores({month: center_ids}).get(month, {})


def months_scores(centers_by_month: dict[dt.date, list[int]]) -> dict[dt.date, dict[int, list[StaffScore]]]:
    """``{month: {center id: [StaffScore]}}`` for the centers of each month, in one pass over all the months: the
    staff of every center once, then ``score_months`` (the same queries for 1 or 200 centers, 1 or 12 months)."""
    centers = {c for ids in centers_by_month.values() for c in ids}
    staff = scored_staff(sorted(centers)) if centers else []
    users_by_month = {m: [u for u in staff if u.unit_id in set(ids)] for m, ids in centers_by_month.items()}
    out: dict[dt.date, dict[int, list[StaffScore]]] = {}
    for m, scores in score_months(users_by_month).items():
        out[m] = defaultdict(list)
        for score in scores:
            out[m][score.unit_id].append(score)
    return out
