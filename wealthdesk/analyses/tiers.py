"""The tier at a past date, set-based (issue 16): each half-year boundary's tiers are taken once from the R2 tier
history in one ``INSERT … SELECT`` (PostgreSQL: ``DISTINCT ON (customer_id) … ORDER BY customer_id, changed_on``;
SQLite: ``row_number()``), so the analyses join them (one hash join) instead of one correlated lookup per row.

The history is a chain (each change starts from the tier the previous one ended at), so a customer's tier at the
end of ``day`` is the ``from_tier`` of the first change after it, or — no change since — the current tier. Rows
taken this way stay right when later changes are appended (they start from that tier); a customer created after
the rows were taken has none and the analyses fall back to the per-row lookup for that customer alone.
"""
from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .models import TierAtDay, TierDay

_FIRST_LATER = {
    "postgresql": """SELECT DISTINCT ON (customer_id) customer_id, from_tier FROM customers_tierhistory
                     WHERE changed_on > %s ORDER BY customer_id, changed_on, id""",
    "default": """SELECT customer_id, from_tier FROM (SELECT customer_id, from_tier, row_number() OVER
                  (PARTITION BY customer_id ORDER BY changed_on, id) AS rn FROM customers_tierhistory
                  WHERE changed_on > %s) ranked WHERE rn = 1""",
}


def tier_day_take(day: dt.date, *, rebuild: bool = False) -> TierDay:
    """Take (once; again with ``rebuild``) every customer's tier at the end of ``day``. Two jobs asking at once:
    the second waits on the first's row lock and finds the rows taken."""
    try:
        with transaction.atomic():
            TierDay.objects.get_or_create(day=day)
    except IntegrityError:
        pass
    with transaction.atomic():
        mark = TierDay.objects.select_for_update().get(day=day)
        if mark.taken_at is not None and not rebuild:
            return mark
        TierAtDay.objects.filter(day=day).delete()
        later = _FIRST_LATER.get(connection.vendor, _FIRST_LATER["default"])
        with connection.cursor() as cursor:
            cursor.execute(f"""INSERT INTO {TierAtDay._meta.db_table} (day, customer_id, tier)
                SELECT %s, c.id, COALESCE(h.from_tier, c.tier) FROM customers_customer c
                LEFT JOIN ({later}) h ON h.customer_id = c.id""", [day, day])
            mark.customers = max(cursor.rowcount, 0)
        mark.taken_at = timezone.now()
        mark.save(update_fields=["customers", "taken_at"])
    return mark


def taken_days(days) -> set[dt.date]:
    return set(TierDay.objects.filter(day__in=list(days), taken_at__isnull=False).values_list("day", flat=True))
