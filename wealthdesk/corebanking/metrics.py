"""Metric ``sales_amount`` (产品销售额): purchases of wmp/fund/insurance/bond/metal products by each client
manager's customers in a period, from transactions with a product (set-based, one query); and the same split by
kind (R33: deposit, wealth-product, insurance and fund sales, ``SALES_BY_KIND``)."""
from __future__ import annotations

import datetime

from django.db.models import Count, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from wealthdesk.core.metric_windows import date_window, per_window

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


_occurred = date_window("occurred_at", datetime=True)  # local days, as ``occurred_at__date`` (but sargable)


def _all_purchases(user_ids, kinds):
    return Transaction.objects.filter(customer__client_manager_id__in=list(user_ids), product__kind__in=list(kinds),
                                      direction=Direction.OUT)


def purchases(user_ids, kinds, start: datetime.date, end: datetime.date):
    """A purchase is money going *out* of the customer's account *into* a product (direction ``out``) of one of
    ``kinds``, by a customer of one of the managers, in [start, end]."""
    return _all_purchases(user_ids, kinds).filter(_occurred(start, end))


def sales_of(kinds):
    """The metric ``compute`` of the purchases of ``kinds`` (one grouped query)."""
    def compute(user_ids, start: datetime.date, end: datetime.date) -> dict[int, float]:
        rows = (purchases(user_ids, kinds, start, end)
                .values("customer__client_manager_id").annotate(total=Sum("amount")).order_by())
        return {r["customer__client_manager_id"]: float(r["total"]) for r in rows}

    return compute


def sales_windows_of(kinds):
    """The batch form of ``sales_of(kinds)``: every period in one grouped query (issue 16)."""
    def windows(user_ids, wanted) -> dict:
        return per_window(_all_purchases(user_ids, kinds), "customer__client_manager_id", wanted, _occurred,
                          Sum("amount"), convert=float)

    return windows


sales_amount = sales_of(SALES_KINDS)
sales_amount_windows = sales_windows_of(SALES_KINDS)


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


def _last_day_sql(qs) -> tuple[str, tuple]:
    sql, params = qs.order_by("-as_of").values("as_of")[:1].query.sql_with_params()
    return f"({sql})", params


def aum_change_windows(user_ids, windows) -> dict:
    """The batch form of ``aum_change``: the loaded days every period needs (its last day in, the last day
    before it) in one query of index look-ups, then the managers' sums over those days in one grouped query."""
    from django.db import connection

    from .models import DailyBalance

    wanted = sorted(set(windows))
    out: dict = {w: {} for w in wanted}
    if not wanted:
        return out
    parts = [_last_day_sql(DailyBalance.objects.filter(as_of__gte=s, as_of__lte=e)) for s, e in wanted]
    parts += [_last_day_sql(DailyBalance.objects.filter(as_of__lt=s)) for s, _e in wanted]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(sql for sql, _p in parts), [p for _sql, params in parts for p in params])
        found = cursor.fetchone()
    days = [DailyBalance._meta.get_field("as_of").to_python(d) if d is not None else None for d in found]
    last_in, last_before = days[:len(wanted)], days[len(wanted):]
    needed = {d for d in days if d is not None}
    if not any(last_in):
        return out
    sums: dict = {d: {} for d in needed}
    rows = (DailyBalance.objects.filter(as_of__in=needed, customer__client_manager_id__in=list(user_ids))
            .values("as_of", "customer__client_manager_id").annotate(total=Sum("aum")).order_by())
    for r in rows:
        sums[r["as_of"]][r["customer__client_manager_id"]] = float(r["total"])
    for w, day_in, day_before in zip(wanted, last_in, last_before, strict=True):
        if day_in is None:
            continue
        now, before = sums[day_in], sums.get(day_before, {})
        out[w] = {uid: round(now.get(uid, 0.0) - before.get(uid, 0.0), 2) for uid in set(now) | set(before)}
    return out


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
