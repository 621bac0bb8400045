"""The alerts app's maintained summary (issue 16): ``MaturityCount``, holdings per center, client manager and
maturity date — its definition (``snapshot``) and registration. Balance-derived: rebuilt with the AUM sums
after the core-banking loads (``core.summaries.rebuild(balance_derived=True)``); ORM writes of one holding and
customer transfers keep it in their transaction."""
from __future__ import annotations

from django.db.models import Count, Sum

from wealthdesk.core.summaries import register_customer_summary, track_customer_rows
from wealthdesk.corebanking.models import Holding

KEY = "alerts.maturities"


def snapshot(ids):
    qs = Holding.objects.all() if ids is None else Holding.objects.filter(customer_id__in=ids)
    return (qs.filter(maturity_date__isnull=False).order_by()
            .values_list("customer__center_id", "customer__client_manager_id", "maturity_date")
            .annotate(n=Count("id"), amount_sum=Sum("amount")))


def register() -> None:
    register_customer_summary(KEY, "alerts.MaturityCount", keys=("center_id", "manager_id", "maturity_date"),
                              values=("n", "amount"), snapshot=snapshot, balance_derived=True)
    track_customer_rows(Holding, only=(KEY,))
