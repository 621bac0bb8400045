"""Test data for the dashboards: a bit of everything each registered unit figure counts, in both centers."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from wealthdesk.alerts.tests.helpers import balances, make_alert
from wealthdesk.complaints.tests.helpers import record
from wealthdesk.contacts.tests.factories import make_contact
from wealthdesk.corebanking.choices import BatchStatus, ImportKind
from wealthdesk.corebanking.models import Holding, ImportBatch, Product
from wealthdesk.customers.models import TierHistory


def today() -> dt.date:
    return timezone.localdate()


def fill(world) -> None:
    """Balances over 40 days (a month-before base), contacts, alerts, a tier change, holdings maturing, complaints."""
    day = today()
    ImportBatch.objects.create(kind=ImportKind.BALANCES, file_name="b.csv", content_hash="x" * 64, as_of=day,
                               status=BatchStatus.LOADED)
    for cust, base in ((world.cust_a, 1_400_000), (world.cust_a2, 390_000), (world.cust_b, 7_900_000)):
        balances(cust, day, [base + 1000 * i for i in range(40)])
    for cust, cm in ((world.cust_a, world.cm_c1_1), (world.cust_a2, world.cm_c1_2), (world.cust_b, world.cm_c2_1)):
        make_contact(cust, cm, day)
        make_alert(cust, day=day, due=day)
    make_contact(world.cust_a, world.cm_c1_1, day.replace(day=1))
    TierHistory.objects.create(customer=world.cust_a2, from_tier="ordinary", to_tier="premium", changed_on=day)
    TierHistory.objects.create(customer=world.cust_b, from_tier="private", to_tier="core", changed_on=day)
    product = Product.objects.create(code="WMP1", name="稳健理财1号", kind="wmp", risk_level="R2")
    for cust, amount in ((world.cust_a, "100000.00"), (world.cust_b, "250000.00")):
        Holding.objects.create(customer=cust, product=product, account_no=f"62220000{cust.pk:08d}", amount=Decimal(amount),
                               start_date=day - dt.timedelta(days=100), maturity_date=day + dt.timedelta(days=10))
    record(world, customer=world.cust_a)
    record(world, actor="head_c2", customer=world.cust_b)
