"""The reply deadline of R32, in one place.

The national banking complaint rules count **calendar days** from acceptance: a decision within
``complaint.due_days`` (15) days, extendable once for complex cases to ``complaint.max_extended_days`` (30).
When the last day is a rest day (weekend or public holiday in ``core.calendar``), the deadline moves to the
next working day — a period ending on a rest day ends on the next working day.
"""
from __future__ import annotations

import datetime as dt

from wealthdesk.core.calendar import is_working_day
from wealthdesk.core.params import get_param


def roll_to_working_day(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def due_date(received_on: dt.date, days: int | None = None) -> dt.date:
    """``received_on`` + ``days`` calendar days (default ``complaint.due_days``), moved off rest days."""
    days = int(get_param("complaint.due_days")) if days is None else days
    return roll_to_working_day(received_on + dt.timedelta(days=days))


def max_extended_due_date(received_on: dt.date) -> dt.date:
    return due_date(received_on, int(get_param("complaint.max_extended_days")))
