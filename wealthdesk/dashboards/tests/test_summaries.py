"""Issue 16, R1: the dashboards' contact, tier-change and maturity figures come from maintained summaries that
equal the live computation after any writes (a contact, a backdated or re-dated one, a deleted one, a tier
change, a transfer, a holding), change in the writer's transaction, are rebuilt by the holdings load, and keep
the dashboard at a fixed number of queries at a center and at head office whatever the data."""
from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wealthdesk.alerts.models import MaturityCount
from wealthdesk.alerts.unit_figures import live_maturities, maturities
from wealthdesk.contacts.choices import ContactKind
from wealthdesk.contacts.models import ContactCenterDayCount, ContactRecord
from wealthdesk.contacts.services import contact_create
from wealthdesk.contacts.tests.factories import at, make_contact
from wealthdesk.contacts.unit_figures import contact_figures, live_contact_figures
from wealthdesk.core.summaries import check, rebuild
from wealthdesk.core.testing.rollup import add_customers
from wealthdesk.core.testing.scale import grow, page_fetcher, query_counts
from wealthdesk.corebanking.models import Holding, Product
from wealthdesk.customers.choices import Tier
from wealthdesk.customers.models import Customer, TierChangeCount, TierHistory
from wealthdesk.customers.services import customer_reassign, customer_set_tier, customer_update
from wealthdesk.customers.unit_figures import live_tier_changes, tier_changes
from wealthdesk.dashboards import selectors
from wealthdesk.orgs.models import OrgUnit

from .helpers import fill, today

SOURCES = ((contact_figures, live_contact_figures), (tier_changes, live_tier_changes), (maturities, live_maturities))


def periods():
    """The spans the dashboard asks: this month to today, the same span a month and a year before."""
    now = selectors.parse_period("")
    return [now, now.shifted(1), now.shifted(12)]


def assert_figures_equal_live(world):
    centers = OrgUnit.objects.filter(path__startswith=world.hq.path).values("pk")
    managers = [u.pk for u in world.users.values()]
    for summary, live in SOURCES:
        for p in periods():
            assert summary(centers, p.start, p.end, by="center") == live(centers, p.start, p.end, by="center"), \
                (summary.__name__, p)
            assert summary(managers, p.start, p.end, by="staff") == live(managers, p.start, p.end, by="staff"), \
                (summary.__name__, p)
    assert {key: diffs for key, diffs in check().items() if diffs} == {}


def product():
    return Product.objects.get_or_create(code="WMP9", defaults={"name": "稳健理财9号", "kind": "wmp",
                                                                 "risk_level": "R2"})[0]


EXAMPLES = itertools.count()
WRITES = st.lists(st.tuples(st.sampled_from(["contact", "backdated", "last_month", "delete", "redate", "tier",
                                             "set_tier", "transfer", "holding", "holding_gone"]),
                            st.integers(0, 4), st.integers(0, 60), st.sampled_from([0, 10, 23])),
                  min_size=1, max_size=12)


@pytest.mark.django_db
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(writes=WRITES)
def test_dashboard_figures_from_the_summaries_equal_the_live_ones_after_any_writes(world, writes):
    prefix = f"D{next(EXAMPLES)}-"
    customers = add_customers(world, world.c1, world.cm_c1_1, 5, prefix=prefix)
    tiers = list(Tier.values)
    day = today()
    for kind, i, n, hour in writes:
        c = Customer.objects.get(pk=customers[i].pk)
        if kind == "contact":
            contact_create(actor=world.cm_c1_1 if c.client_manager_id == world.cm_c1_1.pk else world.head_c1,
                           customer=c, kind=ContactKind.PHONE, contacted_at=at(day, 0))
        elif kind == "backdated":  # entered late, earlier in the month (or the month before)
            make_contact(c, world.cm_c1_1, day - dt.timedelta(days=n % (day.day + 3)), hour=hour)
        elif kind == "last_month":
            make_contact(c, world.cm_c1_1, day.replace(day=1) - dt.timedelta(days=1 + n % 28), hour=hour)
        elif kind == "delete":
            record = ContactRecord.objects.filter(customer=c).order_by("contacted_at", "id").first()
            if record:
                record.delete()
        elif kind == "redate":
            record = ContactRecord.objects.filter(customer=c).order_by("-id").first()
            if record:
                record.contacted_at = at(day - dt.timedelta(days=n % 35), hour)
                record.save()
        elif kind == "tier":
            customer_update(actor=world.head_c1, customer=c, tier=tiers[n % len(tiers)])
        elif kind == "set_tier":
            customer_set_tier(customer=c, to_tier=tiers[n % len(tiers)], changed_on=day - dt.timedelta(days=n % 3),
                              source="recompute")
        elif kind == "transfer":
            target = [world.cm_c1_1, world.cm_c1_2][n % 2]
            if c.client_manager_id != target.pk:
                customer_reassign(actor=world.head_c1, customer=c, to_manager=target)
        elif kind == "holding":
            Holding.objects.create(customer=c, product=product(), account_no=f"{prefix}{i}-{n}-{hour}",
                                   amount=Decimal(1000 + n), start_date=day - dt.timedelta(days=90),
                                   maturity_date=day + dt.timedelta(days=1 + n % 40))
        elif kind == "holding_gone":
            holding = Holding.objects.filter(customer=c).first()
            if holding:
                holding.delete()
    assert_figures_equal_live(world)


@pytest.mark.django_db
def test_a_customer_first_contacted_twice_in_a_month_counts_once_on_the_first_day(world):
    day = today()
    make_contact(world.cust_a, world.cm_c1_1, day)
    make_contact(world.cust_a, world.cm_c1_1, day.replace(day=1), hour=0)  # backdated to the 1st, local midnight
    row = ContactCenterDayCount.objects.get(center=world.c1, tier=world.cust_a.tier, day=day.replace(day=1))
    assert (row.contacts, row.first_contacts) == (1, 1)
    figures = contact_figures([world.c1.pk], day.replace(day=1), day)[world.c1.pk]
    assert figures == {"contacts_made": 2, "premium_contacted": 1}
    assert_figures_equal_live(world)


@pytest.mark.django_db
def test_contact_tier_change_and_transfer_move_the_figures_with_the_customer(world):
    fill(world)
    day = today()
    before = contact_figures([world.cm_c1_1.pk, world.cm_c1_2.pk], day.replace(day=1), day, by="staff")
    customer_reassign(actor=world.head_c1, customer=world.cust_a, to_manager=world.cm_c1_2)
    after = contact_figures([world.cm_c1_1.pk, world.cm_c1_2.pk], day.replace(day=1), day, by="staff")
    assert world.cm_c1_1.pk not in after  # cust_a's two contacts went with it
    assert after[world.cm_c1_2.pk]["contacts_made"] == before[world.cm_c1_2.pk]["contacts_made"] + 2
    customer_update(actor=world.head_c1, customer=Customer.objects.get(pk=world.cust_a.pk), tier=Tier.ORDINARY)
    assert tier_changes([world.c1.pk], day.replace(day=1), day)[world.c1.pk]["tier_downgrades"] == 1
    assert_figures_equal_live(world)


@pytest.mark.django_db
def test_a_write_rolled_back_leaves_the_summaries_as_they_were(world):
    fill(world)
    rows = sorted(ContactCenterDayCount.objects.values_list("center_id", "tier", "day", "contacts", "first_contacts"))
    with pytest.raises(RuntimeError), transaction.atomic():
        contact_create(actor=world.cm_c1_1, customer=world.cust_a, kind=ContactKind.PHONE,
                       contacted_at=at(today(), 0))  # local midnight: never in the future, whatever the hour
        assert sorted(ContactCenterDayCount.objects.values_list(
            "center_id", "tier", "day", "contacts", "first_contacts")) != rows  # inside: already counted
        raise RuntimeError
    assert sorted(ContactCenterDayCount.objects.values_list(
        "center_id", "tier", "day", "contacts", "first_contacts")) == rows


@pytest.mark.django_db
def test_tier_recomputation_counts_its_bulk_changes(world):
    from wealthdesk.core.audit import audited_update
    from wealthdesk.corebanking.services import tiers_recompute

    day = today()
    audited_update(Customer.objects.filter(pk=world.cust_b.pk), actor=None, what="test",  # private → ordinary
                   aum_as_of=day, aum_avg=Decimal("100"))
    tiers_recompute(as_of=day)
    assert TierHistory.objects.filter(customer=world.cust_b, changed_on=day).exists()
    assert TierChangeCount.objects.get(center=world.c2, day=day, direction="down").n == 1
    assert_figures_equal_live(world)


@pytest.mark.django_db
def test_holdings_written_in_bulk_are_counted_after_the_rebuild_the_loads_run(world):
    day = today()
    Holding.objects.bulk_create([Holding(customer=world.cust_b, product=product(), account_no=f"B{i}",
                                         amount=Decimal("5000"), start_date=day, maturity_date=day + dt.timedelta(days=5))
                                 for i in range(3)])
    assert not MaturityCount.objects.exists()  # bulk writes keep the summaries themselves …
    rebuild(balance_derived=True)  # … as the holdings load does in its transaction
    assert maturities([world.c2.pk], day.replace(day=1), day) == {
        world.c2.pk: {"maturities_count": 3, "maturities_amount": 15000.0}}
    assert_figures_equal_live(world)
    call_command("rebuild_summaries", "--check")


@pytest.mark.django_db
def test_a_span_across_months_is_computed_live(world):
    day = today()
    make_contact(world.cust_a, world.cm_c1_1, day)
    make_contact(world.cust_a, world.cm_c1_1, day.replace(day=1) - dt.timedelta(days=3))
    start = day.replace(day=1) - dt.timedelta(days=20)
    assert contact_figures([world.c1.pk], start, day) == live_contact_figures([world.c1.pk], start, day)
    assert contact_figures([world.c1.pk], start, day)[world.c1.pk] == {"contacts_made": 2, "premium_contacted": 1}


# ---- fixed query counts ---------------------------------------------------------------------------------

def _activity(world, center, people):
    day = today()
    for customer in Customer.objects.filter(center=center)[:6]:
        make_contact(customer, customer.client_manager, day)
        TierHistory.objects.create(customer=customer, from_tier=Tier.PREMIUM, to_tier=Tier.CORE, changed_on=day)
        Holding.objects.create(customer=customer, product=product(), account_no=f"Q{customer.pk}",
                               amount=Decimal("1000"), start_date=day, maturity_date=day + dt.timedelta(days=3))


@pytest.mark.django_db
@pytest.mark.parametrize("url, api", [("/dashboards/", False), ("/api/v1/dashboards/", True)])
def test_dashboard_queries_do_not_grow_with_the_data_at_a_center_and_at_head_office(world, url, api):
    fill(world)
    personas = ["head_c1", "subbranch1_service", "branch1_service", "hq_service"]
    fetch = page_fetcher(world, url, api=api)
    first = query_counts(personas, fetch)
    grow(world, 10, extra=_activity)
    assert query_counts(personas, fetch) == first
