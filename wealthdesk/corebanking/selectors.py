"""Reads of the core-banking data, always starting from ``visible_to(user)`` (DESIGN rule 1, 2)."""
from __future__ import annotations

import datetime

from django.db.models import QuerySet

from .models import DailyBalance, Holding, ImportBatch, Product, Transaction


def batch_list(user, *, kind: str = "", status: str = "") -> QuerySet[ImportBatch]:
    qs = ImportBatch.objects.visible_to(user).select_related("created_by", "unit").defer(
        "errors", "reject_file", "loaded_keys")
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs


def product_list(*, kind: str = "", q: str = "") -> QuerySet[Product]:
    """Products are reference data, not customer data: every signed-in user may read them."""
    qs = Product.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(name__icontains=q) | qs.filter(code__icontains=q)
    return qs


def holding_list(user, *, customer_id=None) -> QuerySet[Holding]:
    qs = Holding.objects.visible_to(user).select_related("product", "customer")
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    return qs


def transaction_list(user, *, customer_id=None, start: datetime.date | None = None,
                     end: datetime.date | None = None) -> QuerySet[Transaction]:
    qs = Transaction.objects.visible_to(user).select_related("product", "customer")
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    if start:
        qs = qs.filter(occurred_at__date__gte=start)
    if end:
        qs = qs.filter(occurred_at__date__lte=end)
    return qs


def aum_trend(user, customer, *, days: int = 90) -> list[tuple[datetime.date, float]]:
    """The customer's daily AUM over the last ``days`` days up to the latest balance (R2, R6)."""
    qs = DailyBalance.objects.visible_to(user).filter(customer_id=customer.pk)
    last = customer.aum_as_of or qs.order_by("-as_of").values_list("as_of", flat=True).first()
    if last is None:
        return []
    start = last - datetime.timedelta(days=days - 1)
    return [(d, float(a)) for d, a in qs.filter(as_of__gte=start, as_of__lte=last)
            .order_by("as_of").values_list("as_of", "aum")]
