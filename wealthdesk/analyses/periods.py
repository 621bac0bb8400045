"""Half-years (2026H1, 2026H2 …) for the semiannual analyses (R36): parsing, bounds and the data's first day.

A half-year that has not begun, or that ended before the first day the system holds data for, answers a clear
message (``PeriodError``) instead of an empty page that would look like a bank without customers.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

HALF_RE = re.compile(r"^(\d{4})H([12])$")


class PeriodError(ValueError):
    """A half-year that cannot be analysed; the message says why, in the user's language."""


@dataclass(frozen=True)
class HalfYear:
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        return f"{self.start.year}H{1 if self.start.month == 1 else 2}"

    @property
    def before_start(self) -> dt.date:
        """The last day before the half-year (where the tier migration starts from)."""
        return self.start - dt.timedelta(days=1)

    def as_of(self, today: dt.date) -> dt.date:
        """The day whose positions the analysis shows: the half-year's last day, or today while it runs."""
        return min(self.end, today)

    def is_running(self, today: dt.date) -> bool:
        return self.start <= today <= self.end

    def previous(self) -> HalfYear:
        return half_of(self.before_start)

    def next(self) -> HalfYear:
        return half_of(self.end + dt.timedelta(days=1))


def half_of(day: dt.date) -> HalfYear:
    if day.month <= 6:
        return HalfYear(dt.date(day.year, 1, 1), dt.date(day.year, 6, 30))
    return HalfYear(dt.date(day.year, 7, 1), dt.date(day.year, 12, 31))


def data_start() -> dt.date | None:
    """The first day the system holds customer figures for: the earliest tier grading, daily balance or
    transaction (three index-only MIN lookups)."""
    from wealthdesk.corebanking.models import DailyBalance, Transaction
    from wealthdesk.customers.models import TierHistory

    days = [
        TierHistory.objects.aggregate(d=Min("changed_on"))["d"],
        DailyBalance.objects.aggregate(d=Min("as_of"))["d"],
    ]
    first_txn = Transaction.objects.aggregate(d=Min("occurred_at"))["d"]
    if first_txn is not None:
        days.append(timezone.localdate(first_txn))
    days = [d for d in days if d is not None]
    return min(days) if days else None


def parse_half(value: str | None, *, today: dt.date | None = None, first_day: dt.date | None = None) -> HalfYear:
    """``2026H1`` → that half-year; empty → the current one. Refuses a malformed value, a half-year that has not
    begun and one that ended before ``first_day`` (the data's first day), each with a message naming the field."""
    today = today or timezone.localdate()
    raw = (value or "").strip().upper()
    if not raw:
        return half_of(today)
    match = HALF_RE.match(raw)
    if not match or not 1900 <= int(match.group(1)) <= 2100:
        raise PeriodError(_("分析期间格式不正确：请按“年份H1”或“年份H2”填写，例如 %(ex)s。") % {"ex": half_of(today).label})
    year, half = int(match.group(1)), int(match.group(2))
    period = half_of(dt.date(year, 1 if half == 1 else 7, 1))
    current = half_of(today)
    if period.start > today:
        raise PeriodError(_("分析期间 %(p)s 尚未开始，请选择 %(cur)s 或更早的半年度。")
                          % {"p": period.label, "cur": current.label})
    if first_day is not None and period.end < first_day:
        raise PeriodError(_("分析期间 %(p)s 早于系统数据的起始日期 %(d)s，请选择 %(first)s 或更晚的半年度。")
                          % {"p": period.label, "d": f"{first_day:%Y-%m-%d}", "first": half_of(first_day).label})
    return period


def recent_halves(today: dt.date, first_day: dt.date | None, count: int = 6) -> list[HalfYear]:
    """The half-years offered in the selector: the current one back to the data's first, at most ``count``."""
    out, period = [], half_of(today)
    while len(out) < count and (first_day is None or period.end >= first_day):
        out.append(period)
        period = period.previous()
    return out
