"""Live progress against a target (R33): actual so far (from the registered metrics), expected so far by working
days elapsed (``core.calendar``), the gap, and a forecast to the period's end at the pace so far.

A staff member's actual is their metric figure; a unit's is the sum over the scored staff of its subtree in the
indicator's position group. Set-based for a page of targets: one query for the staff below the units, one batch
``metric_values_windows`` per metric in the page (all its periods at once).

A **percentage** indicator (contact coverage) reads differently: a unit's actual is the sum of its staff's met
over the sum of their due (``core.registry.metric_parts``), not a mean of percentages; a rate does not build up
with the days, so the expected figure so far is the target itself, the forecast is the rate so far, and the
target is behind while the rate is under it (higher is better).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from wealthdesk.core.calendar import working_days_between
from wealthdesk.core.registry import metric_parts_windows, metric_values_windows, share_percent

from .choices import GROUP_ROLES


@dataclass
class Progress:
    actual: float
    expected: float
    gap: float
    forecast: float
    share_elapsed: float
    behind: bool

    @property
    def achieved_percent(self) -> float:
        return 0.0 if not self.target else round(self.actual / self.target * 100, 1)

    target: float = 0.0


def pace(amount: float, actual: float, start: dt.date, end: dt.date, today: dt.date, negative: bool,
         rate: bool = False) -> Progress:
    total = len(working_days_between(start, end)) or 1
    elapsed = len(working_days_between(start, min(today, end))) if today >= start else 0
    share = elapsed / total
    if rate:
        gap = round(actual - amount, 2)
        return Progress(round(actual, 2), float(amount), gap, round(actual, 2), round(share, 4),
                        bool(elapsed) and actual < amount, float(amount))
    expected = round(amount * share, 2)
    forecast = round(actual / elapsed * total, 2) if elapsed else 0.0
    gap = round(actual - expected, 2)
    behind = (forecast > amount) if negative else (actual < expected)
    return Progress(round(actual, 2), expected, gap, forecast, round(share, 4), behind, float(amount))


def staff_below(units) -> dict[int, list[tuple[int, str]]]:
    """For each unit: (user id, position group) of the scored staff in its subtree (one query)."""
    from django.db.models import Q

    from wealthdesk.staff.models import StaffRole

    units = list({u.pk: u for u in units}.values())
    if not units:
        return {}
    q = Q()
    for unit in units:
        q |= Q(user__unit__path__startswith=unit.path)
    rows = (StaffRole.objects.filter(q, user__is_active=True, role__in=set().union(*GROUP_ROLES.values()))
            .values_list("user_id", "user__unit__path", "role").distinct())
    group_of_role = {r: g for g, roles in GROUP_ROLES.items() for r in roles}
    per_user: dict[int, tuple[str, str]] = {}
    for uid, path, role in rows:
        group = group_of_role[role]
        if uid not in per_user or group == "client_manager":
            per_user[uid] = (path, group)
    out: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for unit in units:
        for uid, (path, group) in per_user.items():
            if path.startswith(unit.path):
                out[unit.pk].append((uid, group))
    return out


def progress_for(targets, today: dt.date | None = None) -> dict[int, Progress]:
    """Progress of each target (``select_related("indicator", "unit")``), keyed by target id.

    One batch call per metric for every period of the page (``core.registry.metric_values_windows``: one grouped
    query when the metric has a batch form), so the queries do not grow with the periods listed (issue 16)."""
    today = today or timezone.localdate()
    targets = list(targets)
    below = staff_below([t.unit for t in targets if t.staff_id is None])
    wanted: dict[str, set[tuple[dt.date, dt.date]]] = defaultdict(set)
    ids_of: dict[str, set[int]] = defaultdict(set)
    members: dict[int, list[int]] = {}
    for t in targets:
        if t.staff_id:
            members[t.pk] = [t.staff_id]
        else:
            members[t.pk] = [uid for uid, group in below.get(t.unit_id, []) if group == t.indicator.position_group]
        key = t.indicator.metric_key
        wanted[key].add((t.period_start, min(t.period_end, today)))
        ids_of[key].update(members[t.pk])
    values, parts = {}, {}
    for key, windows in wanted.items():
        got = metric_parts_windows(key, ids_of[key], windows)
        if got is not None:
            parts[key] = got
        else:
            values[key] = metric_values_windows(key, ids_of[key], windows)
    out = {}
    for t in targets:
        key, window = t.indicator.metric_key, (t.period_start, min(t.period_end, today))
        if key in parts:
            found = parts[key].get(window, {})
            met = sum(found.get(uid, (0, 0))[0] for uid in members[t.pk])
            due = sum(found.get(uid, (0, 0))[1] for uid in members[t.pk])
            actual = float(share_percent(met, due) or 0.0)
        else:
            found = values[key].get(window, {})
            actual = float(sum(found.get(uid, 0) or 0 for uid in members[t.pk]))
        out[t.pk] = pace(float(t.amount), actual, t.period_start, t.period_end, today,
                         t.indicator.direction == "negative", rate=t.indicator.unit == "percent")
    return out
