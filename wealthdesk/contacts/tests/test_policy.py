"""R26 contact policy in calendar months: due dates and overdue across month ends, per tier; coverage per manager
against a hand-counted fixture; the lists are single queries."""
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from wealthdesk.contacts import policy, selectors
from wealthdesk.contacts.models import ContactPolicy
from wealthdesk.core.audit import audited_update
from wealthdesk.core.scoping import scope_for
from wealthdesk.customers.choices import Tier
from wealthdesk.customers.models import Customer

from .factories import make_contact

D = dt.date
pytestmark = pytest.mark.django_db


JAN_5 = D(2026, 1, 5)


def customer(world, n, tier, cm="cm_c1_1", created=JAN_5):
    c = Customer.objects.create(cif_no=f"T{n:08d}", name=f"测试{n}", id_type="other", id_number=f"X{n}",
                                center=world.c1, client_manager=world.users[cm], tier=tier, aum_avg=Decimal("1"))
    audited_update(Customer.objects.filter(pk=c.pk), actor=None, what="test set-up", created_at=timezone.make_aware(dt.datetime.combine(created, dt.time(9))))
    return c


def overdue_ids(world, today, user="head_c1"):
    return set(selectors.overdue_customers(world.users[user], today).values_list("id", flat=True))


def test_due_date_is_the_end_of_the_next_calendar_month():
    assert policy.due_date(D(2026, 10, 1), 1) == D(2026, 11, 30)
    assert policy.due_date(D(2026, 10, 31), 1) == D(2026, 11, 30)
    assert policy.due_date(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert policy.due_date(D(2026, 12, 15), 1) == D(2027, 1, 31)
    assert policy.due_date(D(2026, 11, 15), 2) == D(2027, 1, 31)
    assert policy.due_date(D(2026, 11, 15), 0) is None


def test_contact_on_the_last_day_of_october_is_overdue_only_from_the_first_of_december(world):
    late = customer(world, 1, Tier.PREMIUM)
    early = customer(world, 2, Tier.CORE)
    make_contact(late, world.cm_c1_1, D(2026, 10, 31), hour=23)
    make_contact(early, world.cm_c1_1, D(2026, 10, 1), hour=8)
    assert overdue_ids(world, D(2026, 11, 30)).isdisjoint({late.pk, early.pk})
    assert {late.pk, early.pk} <= overdue_ids(world, D(2026, 12, 1))


def test_calendar_month_follows_local_time_not_utc(world):
    c = customer(world, 3, Tier.PREMIUM)
    make_contact(c, world.cm_c1_1, D(2026, 11, 1), hour=0)  # 00:00 Beijing time = 31 October in UTC
    assert c.pk not in overdue_ids(world, D(2026, 12, 31))
    assert c.pk in overdue_ids(world, D(2027, 1, 1))
    rows = {r["manager_id"]: r for r in selectors.coverage_by_manager(world.head_c1, D(2026, 11, 20))}
    assert rows[world.cm_c1_1.pk]["met"] == 1


def test_ordinary_customers_have_no_contact_requirement(world):
    c = customer(world, 4, Tier.ORDINARY, created=D(2020, 1, 1))
    assert c.pk not in overdue_ids(world, D(2026, 11, 20))


def test_head_office_can_set_a_two_month_interval_for_a_tier(world):
    ContactPolicy.objects.create(tier=Tier.PREMIUM, interval_months=2)
    prem = customer(world, 5, Tier.PREMIUM)
    core = customer(world, 6, Tier.CORE)
    make_contact(prem, world.cm_c1_1, D(2026, 9, 15))
    make_contact(core, world.cm_c1_1, D(2026, 9, 15))
    assert overdue_ids(world, D(2026, 11, 20)) & {prem.pk, core.pk} == {core.pk}
    assert prem.pk in overdue_ids(world, D(2026, 12, 1))


def test_a_never_contacted_customer_counts_from_the_month_the_record_was_created(world):
    c = customer(world, 7, Tier.PRIVATE, created=D(2026, 10, 20))
    assert c.pk not in overdue_ids(world, D(2026, 11, 30))
    assert c.pk in overdue_ids(world, D(2026, 12, 1))


def test_due_this_week_lists_customers_due_by_sunday_but_not_yet_overdue(world):
    c = customer(world, 8, Tier.PREMIUM)
    make_contact(c, world.cm_c1_1, D(2026, 10, 10))  # due 2026-11-30 (a Monday)
    week_of_nov_23 = selectors.due_soon_customers(world.head_c1, D(2026, 11, 25), D(2026, 11, 29))
    week_of_nov_30 = selectors.due_soon_customers(world.head_c1, D(2026, 11, 30), D(2026, 12, 6))
    assert c.pk not in set(week_of_nov_23.values_list("id", flat=True))
    assert c.pk in set(week_of_nov_30.values_list("id", flat=True))


@pytest.fixture
def coverage_world(world):
    """Hand-counted on 2026-11-20. cm_c1_1: cust_a contacted 11-03 (met), p1 contacted 10-15 (not met, due 11-30),
    p2 contacted 09-30 (overdue), p3 never contacted since August (overdue), an ordinary customer (no policy)
    → 4 under policy, 1 met, 2 overdue. cm_c1_2: cust_a2 contacted 11-01 → 1 of 1 met."""
    audited_update(Customer.objects.filter(pk__in=[world.cust_a.pk, world.cust_a2.pk]), actor=None,
                   what="test set-up", created_at=timezone.make_aware(dt.datetime(2026, 1, 5, 9)))
    make_contact(world.cust_a, world.cm_c1_1, D(2026, 11, 3))
    make_contact(world.cust_a, world.cm_c1_1, D(2026, 9, 1))
    p1 = customer(world, 11, Tier.PREMIUM)
    make_contact(p1, world.cm_c1_1, D(2026, 10, 15))
    p2 = customer(world, 12, Tier.PRIVATE)
    make_contact(p2, world.cm_c1_1, D(2026, 9, 30))
    p3 = customer(world, 13, Tier.PREMIUM, created=D(2026, 8, 1))
    customer(world, 14, Tier.ORDINARY)
    make_contact(world.cust_a2, world.cm_c1_2, D(2026, 11, 1), hour=9)
    return {"p1": p1, "p2": p2, "p3": p3}


def test_coverage_per_manager_matches_the_hand_count(world, coverage_world):
    rows = {r["manager_id"]: r for r in selectors.coverage_by_manager(world.head_c1, D(2026, 11, 20))}
    assert (rows[world.cm_c1_1.pk]["total"], rows[world.cm_c1_1.pk]["met"], rows[world.cm_c1_1.pk]["overdue"]) == (
        4, 1, 2)
    # coverage against what is due so far: p1 (due 11-30) is not yet due → 1 met of 3 due
    assert rows[world.cm_c1_1.pk]["due"] == 3
    assert rows[world.cm_c1_1.pk]["share"] == pytest.approx(1 / 3)
    assert (rows[world.cm_c1_2.pk]["total"], rows[world.cm_c1_2.pk]["met"], rows[world.cm_c1_2.pk]["share"]) == (
        1, 1, 1.0)
    assert world.cm_c2_1.pk not in rows


def test_client_manager_sees_only_own_overdue_customers(world, coverage_world):
    mine = overdue_ids(world, D(2026, 11, 20), user="cm_c1_1")
    assert mine == {coverage_world["p2"].pk, coverage_world["p3"].pk}
    assert overdue_ids(world, D(2026, 11, 20), user="cm_c1_2") == set()
    assert overdue_ids(world, D(2026, 11, 20), user="head_c2").isdisjoint(mine)


def test_overdue_list_and_coverage_are_single_queries(world, coverage_world, django_assert_num_queries):
    scope_for(world.head_c1)  # the user's positions are read once per request
    with django_assert_num_queries(2):  # the policy rows + the list
        list(selectors.overdue_customers(world.head_c1, D(2026, 11, 20)))
    with django_assert_num_queries(1):  # the policy rows are cached now (issue 16)
        selectors.coverage_by_manager(world.head_c1, D(2026, 11, 20))


def test_contacts_metric_counts_each_managers_contacts_in_the_period(world, coverage_world):
    counts = selectors.contacts_metric([world.cm_c1_1.pk, world.cm_c1_2.pk], D(2026, 11, 1), D(2026, 11, 30))
    assert counts == {world.cm_c1_1.pk: 1, world.cm_c1_2.pk: 1}


def test_early_in_the_month_nobody_late_means_no_coverage_shortfall(world):
    """Contacted in October, all due by 30 November: on 2 November nobody is late, so coverage is not 0 %."""
    for n in range(30, 40):
        make_contact(customer(world, n, Tier.PREMIUM), world.cm_c1_1, D(2026, 10, 20))
    audited_update(Customer.objects.filter(pk__in=[world.cust_a.pk, world.cust_a2.pk]), actor=None, what="test",
                   tier=Tier.ORDINARY)  # out of the contact policy
    rows = {r["manager_id"]: r for r in selectors.coverage_by_manager(world.head_c1, D(2026, 11, 2))}
    row = rows[world.cm_c1_1.pk]
    assert (row["total"], row["met"], row["overdue"], row["due"]) == (10, 0, 0, 0)
    assert row["share"] is None


def test_branch_coverage_is_the_sum_of_its_centers(world, login_as):
    from wealthdesk.core.testing.rollup import add_center, add_customers

    c3 = add_center(world)
    for c in add_customers(world, c3, world.cm_c3_1, 3):
        make_contact(c, world.cm_c3_1, D(2026, 11, 3))
    late = add_customers(world, c3, world.cm_c3_1, 2, prefix="L")
    audited_update(Customer.objects.filter(pk__in=[c.pk for c in late]), actor=None, what="test",
                   created_at=timezone.make_aware(dt.datetime(2026, 8, 1, 9)))
    make_contact(world.cust_a, world.cm_c1_1, D(2026, 11, 3))
    day = D(2026, 11, 20)
    centers = [selectors.coverage_by_unit(world.users[h], day)["total"] for h in ("head_c1", "head_c3")]
    for persona in ("subbranch1_service", "branch1_service"):
        result = selectors.coverage_by_unit(world.users[persona], day)
        for key in ("total", "met", "overdue", "due"):
            assert result["total"][key] == sum(c[key] for c in centers), (persona, key)
            assert sum(u[key] for u in result["units"]) == result["total"][key]
    assert centers[1]["met"] == 3 and centers[1]["overdue"] == 2
    response = login_as("branch1_service").get("/contacts/coverage/")
    assert response.status_code == 200
    assert 'data-testid="coverage-units"' in response.content.decode()
