"""Metric ``sales_amount`` (产品销售额): purchases of wmp/fund/insurance/bond/metal products by each client
manager's customers in a period, from transactions with a product (set-based, one query)."""
from __future__ import annotations

import datetime

from django.db.models import Count, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import SALES_KINDS, Direction
from .models import Transaction


def sales_amount(user_ids, start: datetime.date, end: datetime.date) -> dict[int, float]:
    """A purchase is money going *out* of the customer's account *into* a product (direction ``out``)."""
    rows = (Transaction.objects.filter(customer__client_manager_id__in=list(user_ids), product__kind__in=SALES_KINDS,
                                       direction=Direction.OUT, occurred_at__date__gte=start,
                                       occurred_at__date__lte=end)
            .values("customer__client_manager_id").annotate(total=Sum("amount")).order_by())
    return {r["customer__client_manager_id"]: float(r["total"]) for r in rows}


def aum_change(user_ids, start: datetime.date, end: datetime.date) -> dict[int, float]:
    """Metric ``aum_change`` (管户资产变动): the assets of each client manager's customers on the last loaded day of
    the period minus those on the last loaded day before it (two grouped sums over one day each)."""
    from .models import DailyBalance

    ids = list(user_ids)
    last_in = DailyBalance.objects.filter(as_of__lte=end, as_of__gte=start).aggregate(d=Max("as_of"))["d"]
    last_before = DailyBalance.objects.filter(as_of__lt=start).aggregate(d=Max("as_of"))["d"]
    if last_in is None:
        return {}

    def sums(day):
        if day is None:
            return {}
        rows = (DailyBalance.objects.filter(as_of=day, customer__client_manager_id__in=ids)
                .values("customer__client_manager_id").annotate(total=Sum("aum")).order_by())
        return {r["customer__client_manager_id"]: float(r["total"]) for r in rows}

    now, before = sums(last_in), sums(last_before)
    return {uid: round(now.get(uid, 0.0) - before.get(uid, 0.0), 2) for uid in set(now) | set(before)}


def products_sold(user_id: int, day: datetime.date) -> list[str]:
    """Note ``products_sold``: the products the manager's customers bought that day, one line per product with
    the amount and the number of purchases (from the core-banking transactions)."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
    rows = (Transaction.objects.filter(customer__client_manager_id=user_id, product__kind__in=SALES_KINDS,
                                       direction=Direction.OUT, occurred_at__gte=start,
                                       occurred_at__lt=start + datetime.timedelta(days=1))
            .values("product__name").annotate(total=Sum("amount"), n=Count("id")).order_by("-total", "product__name"))
    return [_("%(product)s %(amount)s 元（%(n)s 笔）") % {"product": r["product__name"], "amount": f"{r['total']:,.2f}",
                                                       "n": r["n"]} for r in rows]
