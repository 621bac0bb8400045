"""Metric ``sales_amount`` (产品销售额): purchases of wmp/fund/insurance/bond/metal products by each client
manager's customers in a period, from transactions with a product (set-based, one query)."""
from __future__ import annotations

import datetime

from django.db.models import Sum

from .choices import SALES_KINDS, Direction
from .models import Transaction


def sales_amount(user_ids, start: datetime.date, end: datetime.date) -> dict[int, float]:
    """A purchase is money going *out* of the customer's account *into* a product (direction ``out``)."""
    rows = (Transaction.objects.filter(customer__client_manager_id__in=list(user_ids), product__kind__in=SALES_KINDS,
                                       direction=Direction.OUT, occurred_at__date__gte=start,
                                       occurred_at__date__lte=end)
            .values("customer__client_manager_id").annotate(total=Sum("amount")).order_by())
    return {r["customer__client_manager_id"]: float(r["total"]) for r in rows}
