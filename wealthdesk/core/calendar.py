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


# The official calendar: the State Council's public holidays and adjusted working days (调休), as carried by the
# ``chinesecalendar`` package (pinned in requirements.txt; upgrade it when the next year's schedule is announced,
# usually in November, then run ``manage.py load_holidays --year YYYY``).
FIRST_YEAR = 2025
_NAMES = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}


def _holiday_name(english: str) -> str:
    from chinese_calendar.constants import Holiday

    try:
        chinese = Holiday(english).chinese
    except ValueError:
        return english[:60]
    return _NAMES.get(chinese, chinese)


def official_years() -> list[int]:
    """The years (from 2025) whose official schedule the installed ``chinesecalendar`` knows."""
    from chinese_calendar.constants import holidays

    return sorted({d.year for d in holidays if d.year >= FIRST_YEAR})


def official_days(year: int) -> list[tuple[dt.date, bool, str]]:
    """(date, is_working_day, name) for every holiday and adjusted working day of ``year``; [] if unknown."""
    from chinese_calendar.constants import holidays, workdays

    out = [(d, False, _holiday_name(v)) for d, v in holidays.items() if d.year == year]
    out += [(d, True, f"{_holiday_name(v)}调休上班") for d, v in workdays.items() if d.year == year]
    return sorted(out)


def load_official_calendar(year: int, *, replace: bool = False) -> dict[str, int]:
    """Load the official days of ``year``. Existing rows are kept (head office may have edited them) unless
    ``replace``: then the year's rows are replaced by the official ones. Returns counts for the caller's audit."""
    days = official_days(year)
    if not days:
        return {"official": 0, "created": 0, "replaced": 0}
    replaced = 0
    if replace:
        replaced, _ = CalendarDay.objects.filter(date__year=year).delete()
    existing = set(CalendarDay.objects.filter(date__year=year).values_list("date", flat=True))
    rows = [CalendarDay(date=d, is_working_day=w, name=n) for d, w, n in days if d not in existing]
    CalendarDay.objects.bulk_create(rows)
    clear_cache()
    return {"official": len(days), "created": len(rows), "replaced": replaced}


def year_is_loaded(year: int) -> bool:
    """Whether the calendar has the public holidays of ``year`` (at least one weekday off)."""
    return CalendarDay.objects.filter(date__year=year, is_working_day=False).exists()


def seed_calendar(years=None) -> int:
    """Load the official calendar for ``years`` (default: every year the package knows from 2025)."""
    total = 0
    for year in years or official_years():
        total += load_official_calendar(year)["created"]
    return total
