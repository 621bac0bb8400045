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

Queries: staff and their positions (2), the month's targets (1), one set-based ``metric_values`` per metric in use,
one per deduction metric, the adjustments (1) — the same whatever the number of staff or centers.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from django.db.models import Sum

from wealthdesk.core.params import get_param
from wealthdesk.core.registry import metric_values, metrics

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
                until: dt.date | None = None) -> list[StaffScore]:
    """Score each user for the month starting ``month`` (set-based; see the module docstring). ``until`` (today,
    for the month under way) counts the records up to that day — the window the live progress of the same month
    reads, so a page showing both computes each metric once (``core.registry.metric_values`` per request)."""
    start, end = month, period_end_of(PeriodKind.MONTH, month)
    if until is not None and start <= until < end:
        end = until
    ids = [u.pk for u in users]
    targets = list(Target.objects.filter(staff_id__in=ids, period_kind=PeriodKind.MONTH, period_start=start)
                   .select_related("indicator").order_by("indicator__order", "indicator__code"))
    by_user: dict[int, list[Target]] = defaultdict(list)
    for t in targets:
        by_user[t.staff_id].append(t)
    keys = sorted({t.indicator.metric_key for t in targets})
    actuals = {key: metric_values(key, ids, start, end) for key in keys}
    known = metrics()
    counts = {key: metric_values(key, ids, start, end) if key in known else {} for key in DEDUCTIONS}
    per_item = {key: float(get_param(param)) for key, (param, _label) in DEDUCTIONS.items()}
    if adjustments is None:
        adjustments = adjustment_totals(ids, month)
    max_bonus = float(get_param("performance.max_bonus"))
    out = []
    for user in users:
        score = StaffScore(user.pk, str(user), user.username, user.unit_id, getattr(user, "wd_group", ""))
        for t in by_user.get(user.pk, []):
            actual = float(actuals[t.indicator.metric_key].get(user.pk, 0) or 0)
            score.lines.append(score_line(t.indicator, t.weight, float(t.amount), actual))
        for key, (_param, label) in DEDUCTIONS.items():
            n = int(counts[key].get(user.pk, 0) or 0)
            if n:
                score.deductions.append(DeductionLine(key, str(label), n, per_item[key], round(n * per_item[key], 2)))
        finish(score, max_bonus, adjustments.get(user.pk, 0.0))
        out.append(score)
    return out


def finish(score: StaffScore, max_bonus: float, adjustment: float) -> None:
    score.base = round(sum(line.points for line in score.lines), 2)
    score.bonus = round(min(sum(line.bonus for line in score.lines), max_bonus), 2)
    score.deduction_points = round(sum(d.points for d in score.deductions), 2)
    score.adjustment_points = round(float(adjustment), 2)
    score.total = round(max(score.base + score.bonus - score.deduction_points + score.adjustment_points, 0.0), 2)


def adjustment_totals(user_ids, month: dt.date) -> dict[int, float]:
    rows = (SheetAdjustment.objects.filter(staff_id__in=list(user_ids), sheet__period_start=month)
            .values("staff_id").annotate(total=Sum("points")).order_by())
    return {r["staff_id"]: float(r["total"]) for r in rows}


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
    out: dict[int, list[StaffScore]] = defaultdict(list)
    for score in score_staff(scored_staff(center_ids), month):
        out[score.unit_id].append(score)
    return out
