"""Correlated counts for a list's page (issue 16): ``count_of(Child.objects.filter(parent_id=OuterRef("pk")))``
annotates each row with the number of its children as a scalar subquery. Unlike ``Count`` over LEFT JOINs (one
row per child, then COUNT DISTINCT over every row before the LIMIT) it is evaluated for the rows of the page
only, and a ``count()`` of the list drops it."""
from __future__ import annotations

from django.db.models import F, Func, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce


def count_of(children: QuerySet) -> Coalesce:
    """The number of rows of ``children`` (correlated with ``OuterRef``) for each outer row; 0 when none.

    ``COUNT`` as a plain function, not an aggregate, so the subquery has no ``GROUP BY`` and always answers one
    row."""
    counted = children.order_by().annotate(_n=Func(F("pk"), function="COUNT", output_field=IntegerField()))
    return Coalesce(Subquery(counted.values("_n"), output_field=IntegerField()), 0)


def first_rows_and_count(qs: QuerySet, limit: int) -> tuple[list, int]:
    """The first ``limit`` rows of ``qs`` and the number of all its rows — what a panel's "first eight of 23"
    shows — in **one** query instead of a list query and a ``count()`` (issue 16: the head's team page ran a
    list and a count per panel).

    The count rides along as an uncorrelated scalar subquery (``count_of`` of the same rows, order dropped):
    PostgreSQL runs it once (an InitPlan) with the plan it had as a ``count()``, and the list keeps its own plan
    (an index walk that stops at the ``LIMIT``) — unlike ``COUNT(*) OVER ()``, which would read and sort every
    row before the first. With no row the count is 0. A ``DISTINCT``, grouped or combined queryset keeps the two
    queries (a count of its rows is not a ``COUNT`` over its ``WHERE``)."""
    query = qs.query
    if query.distinct or query.group_by is not None or query.combinator or query.is_sliced:
        return list(qs[:limit]), qs.count()
    rows = list(qs.annotate(_wd_total=count_of(qs))[:limit])
    return rows, (rows[0]._wd_total if rows else 0)
