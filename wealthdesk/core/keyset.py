"""Keyset ("seek") pagination for every long list: pages and API (issue 16, DESIGN rule 14).

A page is found by the sort key of the row before it, not by an OFFSET: page 200 costs what page 1 costs (the
database walks the list's index from that key). The queryset's own ``order_by`` is the key; it must end with
the primary key (so ties are broken and no row is skipped or repeated) and name NOT NULL columns only.

* ``keyset_page(queryset, cursor=..., per_page=...)`` → ``KeysetPage`` (``object_list``, ``has_next``,
  ``has_previous``, ``next_cursor``, ``previous_cursor``, ``number``); a cursor that cannot be read raises
  ``core.dates.QueryParamError`` (400 naming the ``cursor`` parameter, pages and API alike).
* ``list_count(queryset)`` → ``ListCount``: exact up to ``settings.WD_EXACT_COUNT_LIMIT`` rows (a count bounded with
  LIMIT, cheap at any size), beyond that PostgreSQL's planner estimate, shown as "约 N" (SQLite: "超过 N").
* ``KeysetListMixin`` for ``ListView``s: ``page``, ``object_list`` and ``count`` in the context; the template
  piece ``core/_keyset_pagination.html`` draws previous/next links that keep every other filter.

Queries per page: one for the rows and one for the bounded count, plus one ``EXPLAIN`` (planning only) on
PostgreSQL when the list is longer than the bound — at most three, at a center as at head office, on page 1 as
on page 200, whatever the number of rows.
"""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connections
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .dates import QueryParamError

CURSOR_PARAM = "cursor"
BAD_CURSOR = _("翻页参数无效（可能已过期或被改动），请回到第一页重新查询。")


@dataclass(frozen=True)
class SortKey:
    name: str  # the model field (attribute) name
    descending: bool


def sort_keys(queryset: QuerySet) -> list[SortKey]:
    """The queryset's ``order_by`` as keys; refuses an order the seek cannot follow."""
    order = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    keys = []
    for item in order:
        if not isinstance(item, str) or "__" in item or item.startswith("?"):
            raise ImproperlyConfigured(f"keyset pagination needs plain field names in order_by, not {item!r}")
        name = item.lstrip("-")
        fld = queryset.model._meta.get_field("id" if name == "pk" else name)
        if fld.null:
            raise ImproperlyConfigured(f"keyset pagination needs NOT NULL sort columns: {name} is nullable")
        keys.append(SortKey(fld.attname, item.startswith("-")))
    pk = queryset.model._meta.pk.attname
    if not keys or keys[-1].name != pk:
        raise ImproperlyConfigured("keyset pagination needs the primary key as the last sort column")
    return keys


def _encode(value):
    if isinstance(value, bool):  # a boolean key (holdout last) travels as 0/1: a JSON bool is refused on reading
        return int(value)
    if isinstance(value, (dt.datetime, dt.date, Decimal)):
        return value.isoformat() if not isinstance(value, Decimal) else str(value)
    return value


def encode_cursor(values: list, *, back: bool, number: int) -> str:
    raw = json.dumps({"k": [_encode(v) for v in values], "b": int(back), "n": number}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(queryset: QuerySet, keys: list[SortKey], cursor: str) -> tuple[list, bool, int]:
    """The key values, the direction and the page number of a cursor; ``QueryParamError`` when unreadable."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        values, back, number = data["k"], bool(data["b"]), int(data["n"])
        if not isinstance(values, list) or len(values) != len(keys) or number < 1:
            raise ValueError
        opts = queryset.model._meta
        typed = []
        for key, value in zip(keys, values, strict=True):
            if value is None or isinstance(value, (list, dict, bool)):
                raise ValueError
            fld = next(f for f in opts.concrete_fields if f.attname == key.name)
            typed.append(fld.to_python(value))
        return typed, back, number
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeDecodeError, ValidationError, InvalidOperation,
            OverflowError):
        raise QueryParamError(CURSOR_PARAM, BAD_CURSOR) from None


def seek_q(keys: list[SortKey], values: list, *, after: bool) -> Q:
    """Rows after (or before) ``values`` in the order ``keys``.

    ``k1 <= v1 AND (k1 < v1 OR (k1 = v1 AND (k2 …)))`` for a descending first key: the outer range is an index
    condition PostgreSQL starts the walk at, the rest filters the few rows that tie with the cursor.
    """
    def step(i: int) -> Q:
        key, value = keys[i], values[i]
        forward = key.descending != after  # after a descending key means smaller values
        strict = Q(**{f"{key.name}__{'gt' if forward else 'lt'}": value})
        if i == len(keys) - 1:
            return strict
        return strict | (Q(**{key.name: value}) & step(i + 1))

    first, value = keys[0], values[0]
    forward = first.descending != after
    return Q(**{f"{first.name}__{'gte' if forward else 'lte'}": value}) & step(0)


@dataclass
class KeysetPage:
    object_list: list
    number: int
    has_next: bool
    has_previous: bool
    next_cursor: str = ""
    previous_cursor: str = ""
    per_page: int = 25
    extra: dict = field(default_factory=dict)

    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


def keyset_page(queryset: QuerySet, *, cursor: str | None, per_page: int) -> KeysetPage:
    """One page of ``queryset`` (ordered, see the module doc) after/before ``cursor``: one query."""
    keys = sort_keys(queryset)
    back, number = False, 1
    qs = queryset
    if cursor:
        values, back, number = decode_cursor(queryset, keys, cursor)
        qs = qs.filter(seek_q(keys, values, after=not back))
        if back:
            qs = qs.order_by(*[(f"{k.name}" if k.descending else f"-{k.name}") for k in keys])
    rows = list(qs[: per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    if back:
        rows.reverse()
        has_previous, has_next = more, True
        number = max(number, 2) if more else 1  # back at the very start: page 1 whatever the cursor said
    else:
        has_previous, has_next = number > 1, more

    def key_of(obj):
        return [getattr(obj, k.name) for k in keys]

    page = KeysetPage(rows, number, has_next, has_previous, per_page=per_page)
    if rows and has_next:
        page.next_cursor = encode_cursor(key_of(rows[-1]), back=False, number=number + 1)
    if rows and has_previous:
        page.previous_cursor = encode_cursor(key_of(rows[0]), back=True, number=number - 1)
    return page


@dataclass(frozen=True)
class ListCount:
    value: int
    exact: bool
    estimated: bool  # beyond the bound: ``value`` is PostgreSQL's estimate …
    bound: bool = False  # … or, where there is no estimate (SQLite), the bound itself ("超过 N 条")


def exact_count_limit() -> int:
    """Up to how many rows a list's count is exact (``settings.WD_EXACT_COUNT_LIMIT``, default 2,000)."""
    return int(getattr(settings, "WD_EXACT_COUNT_LIMIT", 2000))


def planner_estimate(queryset: QuerySet) -> int | None:
    """PostgreSQL's estimate of the rows ``queryset`` returns (``EXPLAIN``: planning only, nothing is read)."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def list_count(queryset: QuerySet, *, limit: int | None = None) -> ListCount:
    """How many rows the list has: exact up to ``limit``, else an estimate said as such (see the module doc)."""
    limit = exact_count_limit() if limit is None else limit
    base = queryset.order_by().values("pk")
    n = base[: limit + 1].count()
    if n <= limit:
        return ListCount(n, True, False)
    estimate = planner_estimate(queryset)  # only past the bound: planning only, a millisecond
    if estimate is None:
        return ListCount(limit, False, True, bound=True)
    return ListCount(max(estimate, limit + 1), False, True)


class KeysetListMixin:
    """For a ``ListView`` whose queryset is ordered by a key ending in the pk: keyset pages instead of OFFSET.

    Context: ``object_list`` (this page), ``page`` (``KeysetPage``), ``count`` (``ListCount``) and
    ``is_paginated``. Templates include ``core/_keyset_pagination.html`` (``hx_target`` optional).
    """

    keyset_per_page = 25
    paginate_by = None

    def get_context_data(self, **kwargs):
        queryset = kwargs.pop("object_list", self.object_list)
        page = keyset_page(queryset, cursor=self.request.GET.get(CURSOR_PARAM), per_page=self.keyset_per_page)
        count = list_count(queryset)
        ctx = super().get_context_data(object_list=page.object_list, **kwargs)
        ctx.update(page=page, count=count, is_paginated=page.has_other_pages(), object_list=page.object_list)
        return ctx
