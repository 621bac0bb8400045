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
