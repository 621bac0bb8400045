"""Counting helpers shared by the compliance measures each app registers (``core.registry.register_compliance``).

The monitor counts, per center and for the current period of a rule, what fell **due**, what was **done** in
time and what is **overdue** now. Two shapes cover the handbook:

* items with a deadline (referrals R16, questions R22, complaints R32, problems R12, reports R18/R19):
  ``deadline_counts`` — due = the items whose deadline passed this month, plus older items still open; done = those
  of this month completed by their deadline; overdue = open items past their deadline, whatever their age.
  So ``due = done + done late + overdue`` and a center with nothing due shows "—", not 100 %.
* duties per person or team and working day (daily logs R9, debriefs R10, huddles R13): ``daily_duty_counts`` —
  due = people × working days of the month up to yesterday (today is not over), done = the records of those days,
  overdue = due − done.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet

from .calendar import working_days_between
from .memo import ids_key, memo

Figures = dict[int, dict[str, int]]


def month_start(today: dt.date) -> dt.date:
    return today.replace(day=1)


def empty(center_ids: Iterable[int]) -> Figures:
    return {cid: {"due": 0, "done": 0, "overdue": 0} for cid in center_ids}


def deadline_counts(qs: QuerySet, center_ids: list[int], today: dt.date, *, open_q: Q, done_in_time_q: Q,
                    center_field: str = "center_id", due_field: str = "due_on") -> Figures:
    """One grouped query: per center, items due this month or still open from before, done in time, overdue."""
    start = month_start(today)
    fell_due = Q(**{f"{due_field}__gte": start, f"{due_field}__lt": today})
    carried = open_q & Q(**{f"{due_field}__lt": start})
    rows = (qs.filter(**{f"{center_field}__in": center_ids}).filter(fell_due | carried)
            .values(center_field)
            .annotate(due=Count("pk"), done=Count("pk", filter=fell_due & done_in_time_q),
                      overdue=Count("pk", filter=open_q)))
    out = empty(center_ids)
    for row in rows:
        out[row[center_field]] = {"due": row["due"], "done": row["done"], "overdue": row["overdue"]}
    return out


def due_days(today: dt.date) -> list[dt.date]:
    """The working days of this month that are over (up to yesterday)."""
    start = month_start(today)
    last = today - dt.timedelta(days=1)
    return working_days_between(start, last) if start <= last else []


def daily_duty_counts(people_by_center: dict[int, int], done_by_center: dict[int, int], center_ids: list[int],
                      days: int) -> Figures:
    """Duties per person and working day: due = people × days, done as counted (never above due)."""
    out = empty(center_ids)
    for cid in center_ids:
        due = people_by_center.get(cid, 0) * days
        done = min(done_by_center.get(cid, 0), due)
        out[cid] = {"due": due, "done": done, "overdue": due - done}
    return out


def count_by(qs: QuerySet, field: str) -> dict[int, int]:
    """``{value of field: row count}`` in one grouped query."""
    out: dict[int, int] = defaultdict(int)
    for row in qs.values(field).annotate(n=Count("pk")):
        out[row[field]] += row["n"]
    return dict(out)


def submission_counts(kind_key: str, center_ids: list[int], today: dt.date) -> Figures:
    """A report kind on the submission chain (R18, R19, R24, R31, R35): for the last closed period, once its due
    date has passed, due = the reports owed (one per expected author for staff reports, one per center
    otherwise), done = those that arrived by the due date, overdue = those not arrived yet."""
    from .submission import ARRIVED, get_kind, previous_period_start

    kind = get_kind(kind_key)
    start = previous_period_start(kind.period, today)
    due_on = kind.due_on(start)
    out = empty(center_ids)
    if today <= due_on:
        return out
    from wealthdesk.orgs.models import OrgUnit

    centers = memo(("centers", ids_key(center_ids)), lambda: list(OrgUnit.objects.filter(pk__in=center_ids)))
    reports = list(kind.queryset().filter(**{f"{kind.unit_field}__in": center_ids, kind.period_field: start})
                   .values_list(f"{kind.unit_field}_id", "author_id" if kind.author == "staff" else "pk",
                                "status", "submitted_at"))
    arrived: dict[tuple[int, int | None], bool] = {}
    for unit_id, who, status, submitted_at in reports:
        if status in ARRIVED:
            on_time = submitted_at is not None and timezone_date(submitted_at) <= due_on
            arrived[(unit_id, who if kind.author == "staff" else None)] = on_time
    if kind.author == "staff" and kind.expected_authors:
        owed = {unit_id: [u.pk for u in people] for unit_id, people in kind.expected_authors(centers).items()}
    else:
        owed = {c.pk: [None] for c in centers}
    for unit_id, people in owed.items():
        row = out.setdefault(unit_id, {"due": 0, "done": 0, "overdue": 0})
        for person in people:
            row["due"] += 1
            state = arrived.get((unit_id, person))
            row["done"] += int(state is True)
            row["overdue"] += int(state is None)
    return out


def timezone_date(moment) -> dt.date:
    from django.utils import timezone

    return timezone.localdate(moment)
