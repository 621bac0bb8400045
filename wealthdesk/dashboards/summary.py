"""Keeping ``CenterDayAum`` current (see models): which days a period's AUM change needs, and the rebuild of a
day whose balance loads changed. The rebuild is one INSERT … SELECT … GROUP BY under the day's state row locked
(``select_for_update``), so two readers never build the same day twice."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from wealthdesk.core.concurrency import lock
from wealthdesk.corebanking.choices import ImportKind
from wealthdesk.corebanking.models import DailyBalance, ImportBatch

from .models import AumDayState, CenterDayAum


@dataclass(frozen=True)
class AumDays:
    """The last loaded day of a period and its three bases (the previous loaded day, the last one before the
    month, the last one before the year; the first loaded day when the data begins later)."""

    last: dt.date
    day_base: dt.date | None
    month_base: dt.date | None
    year_base: dt.date | None

    def all(self) -> list[dt.date]:
        return sorted({d for d in (self.last, self.day_base, self.month_base, self.year_base) if d})


def _last_before(day: dt.date) -> dt.date | None:
    return DailyBalance.objects.filter(as_of__lt=day).aggregate(d=Max("as_of"))["d"]


def aum_days(end: dt.date) -> AumDays | None:
    last = DailyBalance.objects.filter(as_of__lte=end).aggregate(d=Max("as_of"))["d"]
    if last is None:
        return None
    first = DailyBalance.objects.aggregate(d=Min("as_of"))["d"]
    month_base = _last_before(last.replace(day=1)) or (first if first < last else None)
    year_base = _last_before(dt.date(last.year, 1, 1)) or (first if first < last else None)
    return AumDays(last, _last_before(last), month_base, year_base)


def loads_fingerprint() -> str:
    """Changes whenever a balance batch is loaded or rolled back (the only writers of daily balances)."""
    agg = ImportBatch.objects.filter(kind=ImportKind.BALANCES).aggregate(n=Count("id"), m=Max("id"),
                                                                           r=Max("rolled_back_at"))
    rolled = agg["r"].isoformat() if agg["r"] else ""
    return f"{agg['n']}:{agg['m'] or 0}:{rolled}"


def ensure_days(days: list[dt.date]) -> None:
    """Rebuild the summary of every day in ``days`` whose loads changed since it was built."""
    if not days:
        return
    fingerprint = loads_fingerprint()
    fresh = set(AumDayState.objects.filter(as_of__in=days, fingerprint=fingerprint).values_list("as_of", flat=True))
    for day in sorted(set(days) - fresh):
        rebuild_day(day, fingerprint)


@transaction.atomic
def rebuild_day(day: dt.date, fingerprint: str | None = None) -> int:
    fingerprint = loads_fingerprint() if fingerprint is None else fingerprint
    state, _created = AumDayState.objects.get_or_create(as_of=day)
    state = lock(state)
    if state.fingerprint == fingerprint:
        return 0
    CenterDayAum.objects.filter(as_of=day).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {CenterDayAum._meta.db_table} (center_id, as_of, aum, customers)
                SELECT c.center_id, b.as_of, SUM(b.aum), COUNT(*)
                FROM corebanking_dailybalance b JOIN customers_customer c ON c.id = b.customer_id
                WHERE b.as_of = %s GROUP BY c.center_id, b.as_of""", [day])
        rows = cursor.rowcount
    AumDayState.objects.filter(pk=state.pk).update(fingerprint=fingerprint, built_at=timezone.now())
    return rows
