"""Metric ``sales_amount`` (产品销售额): purchases of wmp/fund/insurance/bond/metal products by each client
manager's customers in a period, from transactions with a product (set-based, one query); and the same split by
kind (R33: deposit, wealth-product, insurance and fund sales, ``SALES_BY_KIND``)."""
from __future__ import annotations

import datetime

from django.db.models import Count, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from .choices import SALES_KINDS, Direction, ProductKind
from .models import Transaction

# key, label, the product kinds whose purchases count. A deposit "sale" is money placed in a time deposit (a
# current account is not sold); "理财" is the bank's wealth-management products.
SALES_BY_KIND = (
    ("sales_deposits", _l("存款销售额（定期存款）"), (ProductKind.DEPOSIT_TIME,)),
    ("sales_wmp", _l("理财产品销售额"), (ProductKind.WMP,)),
    ("sales_insurance", _l("保险销售额"), (ProductKind.INSURANCE,)),
    ("sales_funds", _l("基金销售额"), (ProductKind.FUND,)),
)


def purchases(user_ids, kinds, start: datetime.date, end: datetime.date):
    """A purchase is money going *out* of the customer's account *into* a product (direction ``out``) of one of
    ``kinds``, by a customer of one of the managers, in [start, end]."""
    return Transaction.objects.filter(customer__client_manager_id__in=list(user_ids), product__kind__in=list(kinds),
                                      direction=Direction.OUT, occurred_at__date__gte=start,
                                      occurred_at__date__lte=end)


def sales_of(kinds):
    """The metric ``compute`` of the purchases of ``kinds`` (one grouped query)."""
    def compute(user_ids, start: datetime.date, end: datetime.date) -> dict[int, float]:
        rows = (purchases(user_ids, kinds, start, end)
                .values("customer__client_manager_id").annotate(total=Sum("amount")).order_by())
        return {r["customer__client_manager_id"]: float(r["total"]) for r in rows}

    return compute


sales_amount = sales_of(SALES_KINDS)


def aum_change(user_ids, start: datetime.date, end: datetime.date) -> dict[int, float]:
    """Metric ``aum_change`` (管户资产变动): the assets of each client manager's customers on the last loaded day of
    the period minus those on the last loaded day before it (one grouped sum over those two days)."""
    from .models import DailyBalance

    ids = list(user_ids)
    last_in = DailyBalance.objects.filter(as_of__lte=end, as_of__gte=start).aggregate(d=Max("as_of"))["d"]
    last_before = DailyBalance.objects.filter(as_of__lt=start).aggregate(d=Max("as_of"))["d"]
    if last_in is None:
        return {}
    days = [d for d in (last_in, last_before) if d is not None]
    rows = (DailyBalance.objects.filter(as_of__in=days, customer__client_manager_id__in=ids)
            .values("as_of", "customer__client_manager_id").annotate(total=Sum("aum")).order_by())
    now: dict[int, float] = {}
    before: dict[int, float] = {}
    for r in rows:
        (now if r["as_of"] == last_in else before)[r["customer__client_manager_id"]] = float(r["total"])
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
