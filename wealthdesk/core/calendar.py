"""The working-day calendar (Chinese public holidays and 调休 adjusted working days).

Every deadline that counts working days (R6/R7 alerts, R16 referrals, R22 answers, R32 complaints…)
is computed here, so "overdue" is a date comparison, not a guess (DESIGN rule 5).
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import CalendarDay


@lru_cache(maxsize=1)
def _exceptions() -> dict[dt.date, bool]:
    return dict(CalendarDay.objects.values_list("date", "is_working_day"))


def clear_cache() -> None:
    _exceptions.cache_clear()


@receiver([post_save, post_delete], sender=CalendarDay)
def _calendar_changed(**kwargs) -> None:
    clear_cache()


def is_working_day(day: dt.date) -> bool:
    exc = _exceptions().get(day)
    if exc is not None:
        return exc
    return day.weekday() < 5


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    current = start
    remaining = days
    while remaining:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """Working days in the closed interval [start, end]."""
    out, current = [], start
    while current <= end:
        if is_working_day(current):
            out.append(current)
        current += dt.timedelta(days=1)
    return out


def previous_working_day(day: dt.date) -> dt.date:
    current = day - dt.timedelta(days=1)
    while not is_working_day(current):
        current -= dt.timedelta(days=1)
    return current


# Holidays (放假) and adjusted working days (调休上班) published by the State Council for 2026.
# 2027 is provisional (statutory days only) until the State Council announces it; head office edits it.
CN_CALENDAR: dict[int, dict[str, list[tuple[str, str]]]] = {
    2026: {
        "off": [
            ("2026-01-01", "元旦"), ("2026-01-02", "元旦"), ("2026-01-03", "元旦"),
            *[(f"2026-02-{d:02d}", "春节") for d in range(15, 24)],
            ("2026-04-04", "清明节"), ("2026-04-05", "清明节"), ("2026-04-06", "清明节"),
            *[(f"2026-05-{d:02d}", "劳动节") for d in range(1, 6)],
            ("2026-06-19", "端午节"), ("2026-06-20", "端午节"), ("2026-06-21", "端午节"),
            ("2026-09-25", "中秋节"), ("2026-09-26", "中秋节"), ("2026-09-27", "中秋节"),
            *[(f"2026-10-{d:02d}", "国庆节") for d in range(1, 8)],
        ],
        "work": [
            ("2026-01-04", "元旦调休上班"), ("2026-02-14", "春节调休上班"), ("2026-02-28", "春节调休上班"),
            ("2026-05-09", "劳动节调休上班"), ("2026-09-20", "国庆节调休上班"), ("2026-10-10", "国庆节调休上班"),
        ],
    },
    2027: {
        "off": [
            ("2027-01-01", "元旦（预估）"),
            *[(f"2027-02-{d:02d}", "春节（预估）") for d in range(5, 12)],
            ("2027-04-05", "清明节（预估）"),
            *[(f"2027-05-{d:02d}", "劳动节（预估）") for d in range(3, 6)],
            ("2027-06-09", "端午节（预估）"),
            ("2027-09-15", "中秋节（预估）"),
            *[(f"2027-10-{d:02d}", "国庆节（预估）") for d in range(1, 8)],
        ],
        "work": [],
    },
}


def seed_calendar(years=(2026, 2027)) -> int:
    """Load the built-in holiday list for ``years``; existing rows are kept (head office may have edited them)."""
    rows = []
    for year in years:
        for kind, items in CN_CALENDAR.get(year, {}).items():
            for iso, name in items:
                rows.append(CalendarDay(date=dt.date.fromisoformat(iso), is_working_day=(kind == "work"), name=name))
    CalendarDay.objects.bulk_create(rows, ignore_conflicts=True)
    clear_cache()
    return len(rows)
