"""The monthly report is pre-filled from core's metrics registry: AUM change, new premium customers, contacts,
referrals, alerts — whatever the apps registered, without this app importing them."""
import datetime as dt
from decimal import Decimal

import pytest

from wealthdesk.corebanking.models import DailyBalance
from wealthdesk.corebanking.partitions import ensure_partitions
from wealthdesk.customers.models import TierHistory
from wealthdesk.reports import figures
from wealthdesk.reports.choices import ReportKindChoice as K

pytestmark = pytest.mark.django_db


def _items(f):
    return {i["key"]: i["value"] for g in f["groups"] for i in g["items"]}


def test_the_managers_month_figures(world):
    start, end = dt.date(2026, 10, 1), dt.date(2026, 10, 31)
    ensure_partitions(dt.date(2026, 9, 1), dt.date(2026, 10, 31))  # balances are partitioned by month on PostgreSQL
    DailyBalance.objects.create(customer=world.cust_a, as_of=dt.date(2026, 9, 30), aum=Decimal("1000000"))
    DailyBalance.objects.create(customer=world.cust_a, as_of=dt.date(2026, 10, 31), aum=Decimal("1250000.50"))
    TierHistory.objects.create(customer=world.cust_a, from_tier="ordinary", to_tier="premium",
                               changed_on=dt.date(2026, 10, 8))
    TierHistory.objects.create(customer=world.cust_a, from_tier="premium", to_tier="core",
                               changed_on=dt.date(2026, 10, 20))  # an upgrade within premium is not "new"
    got = _items(figures.figures_for(K.MONTHLY, unit=world.c1, author=world.cm_c1_1, start=start, end=end))
    assert got["aum_change"] == 250000.5
    assert got["new_premium_customers"] == 1
    assert {"contacts", "referrals_made", "alerts_opened", "sales_amount"} <= set(got)
    other = _items(figures.figures_for(K.MONTHLY, unit=world.c1, author=world.cm_c1_2, start=start, end=end))
    assert other["aum_change"] == 0 and other["new_premium_customers"] == 0


def test_the_operating_report_has_customers_and_aum_by_tier(world):
    got = _items(figures.figures_for(K.OPERATING, unit=world.c1, author=world.head_c1, start=dt.date(2026, 10, 1),
                                     end=dt.date(2026, 10, 31)))
    assert got["customers_core"] == 1 and got["customers_premium"] == 1 and got["customers_private"] == 0
    assert got["aum_core"] == 1500000.0 and "complaints_received" in got
