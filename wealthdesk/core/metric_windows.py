"""Metrics over many periods in one query (issue 16): the batch form of a registered metric.

A page of targets or of performance sheets asks the same metric for several periods (a year of months, the month
and the quarter…). Asking once per period makes the page's query count grow with the periods listed; the batch
form answers every period ("window", a closed date interval ``(start, end)``) in **one grouped query**::

    SELECT staff_id,
           COUNT(id) FILTER (WHERE day BETWEEN w1),      -- one conditional aggregate per window
           COUNT(id) FILTER (WHERE day BETWEEN w2), …
    FROM … WHERE <the metric's own conditions> AND (w1 OR w2 OR …)
    GROUP BY staff_id

``per_window`` builds that query from a queryset holding the metric's own conditions, the field to group by, a
function giving the condition of one window and the aggregate; each app keeps its metric code and calls it
(``core.registry.register_metric(..., windows=...)``). ``date_window`` is the usual window condition on a date
field, or on a datetime field read in local days (sargable bounds: the same rows as ``field__date`` between the
days, but the index on the field is usable).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from functools import reduce
from operator import or_

from django.db.models import Aggregate, Count, Q, QuerySet
from django.utils import timezone

Window = tuple[dt.date, dt.date]


def day_start(day: dt.date) -> dt.datetime:
    """The first instant of ``day`` in the site's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def date_window(field: str, *, datetime: bool = False) -> Callable[[dt.date, dt.date], Q]:
    """``window_q(start, end)`` for ``field`` in the closed interval of days [start, end]; for a datetime field
    (``datetime=True``) the local days' bounds ``start 00:00 <= field < (end + 1) 00:00``."""
    if datetime:
        return lambda start, end: Q(**{f"{field}__gte": day_start(start),
                                       f"{field}__lt": day_start(end + dt.timedelta(days=1))})
    return lambda start, end: Q(**{f"{field}__gte": start, f"{field}__lte": end})


def windows_of(windows: Iterable[Window]) -> list[Window]:
    """The distinct windows, in order (empty intervals dropped)."""
    return sorted({(s, e) for s, e in windows if s <= e})


def per_window(qs: QuerySet, group: str, windows: Iterable[Window], window_q: Callable[[dt.date, dt.date], Q],
               aggregate: Aggregate, *, convert: Callable | None = None) -> dict[Window, dict]:
    """``{window: {group value: aggregate}}`` of ``qs`` for every window, in one grouped query.

    ``aggregate`` is written as for one period (``Count("id")``, ``Sum("amount")``, ``Count("customer",
    distinct=True)``); each window gets a copy filtered on ``window_q(start, end)``. As the per-period query, a
    window lists only the groups with at least one row in it (a ``Count`` of 0 or a ``Sum`` of nothing is left
    out). ``convert`` turns each value (e.g. ``float`` for money)."""
    wanted = windows_of(windows)
    out: dict[Window, dict] = {w: {} for w in wanted}
    if not wanted:
        return out
    conditions = [window_q(s, e) for s, e in wanted]
    annotations = {}
    for i, cond in enumerate(conditions):
        agg = aggregate.copy()
        agg.filter = cond if agg.filter is None else agg.filter & cond
        annotations[f"wd_w{i}"] = agg
    counting = isinstance(aggregate, Count)
    rows = qs.filter(reduce(or_, conditions)).order_by().values(group).annotate(**annotations)
    for row in rows:
        key = row[group]
        for i, w in enumerate(wanted):
            value = row[f"wd_w{i}"]
            if value is None or (counting and not value):
                continue
            out[w][key] = convert(value) if convert else value
    return out

