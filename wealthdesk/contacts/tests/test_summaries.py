"""Issue 16: the maintained roll-up summaries (customer counts, last contact, contact coverage) equal the live
computation after any sequence of writes, stay exact under concurrent writers, and keep the roll-up pages at a
fixed number of queries whatever the rows."""
from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import DateTimeField, F, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wealthdesk.contacts import policy, selectors
from wealthdesk.contacts.choices import ContactKind
from wealthdesk.contacts.models import ContactRecord, ContactState, CoverageCount
from wealthdesk.contacts.services import contact_create
from wealthdesk.contacts.tests.factories import at, make_contact
from wealthdesk.core.summaries import check, rebuild
from wealthdesk.core.testing.races import race, requires_postgres
from wealthdesk.core.testing.rollup import add_center, add_customers
from wealthdesk.customers.choices import Tier
from wealthdesk.customers.models import Customer, CustomerCount
from wealthdesk.customers.selectors import tier_counts
from wealthdesk.customers.services import customer_reassign, customer_set_tier, customer_update

TODAY = timezone.localdate()


def assert_summaries_equal_data():
    assert {key: diffs for key, diffs in check().items() if diffs} == {}


def live_coverage(user, today):
    """The figure as it was computed before the summary: a correlated ``Max(contacted_at)`` per customer."""
    months = policy.intervals()
    last = (ContactRecord.objects.filter(customer=OuterRef("pk")).values("customer")
            .annotate(m=Max("contacted_at")).values("m"))
    qs = (Customer.objects.visible_to(user).filter(tier__in=policy.policy_tiers(months), client_manager__isnull=False)
          .annotate(last_contact_at=Subquery(last, output_field=DateTimeField()))
          .annotate(policy_anchor=Coalesce(F("last_contact_at"), F("created_at"))))
    out = {}
    for c in qs.filter(policy.met_q(today, months)).values_list("client_manager_id", flat=True):
        out.setdefault(c, [0, 0, 0])[1] += 1
    for c in qs.filter(policy.overdue_q(today, months)).values_list("client_manager_id", flat=True):
        out.setdefault(c, [0, 0, 0])[2] += 1
    for c in qs.values_list("client_manager_id", flat=True):
        out.setdefault(c, [0, 0, 0])[0] += 1
    return {k: tuple(v) for k, v in out.items()}


def summary_coverage(user, today):
    return {r["manager_id"]: (r["total"], r["met"], r["overdue"]) for r in selectors.coverage_by_manager(user, today)}


# ---- random sequences of writes ---------------------------------------------------------------------------

EXAMPLES = itertools.count()
WRITES = st.lists(st.tuples(st.sampled_from(["contact", "contact_old", "tier", "status", "transfer", "delete",
                                             "redate", "set_tier"]),
                            st.integers(0, 5), st.integers(0, 400)), min_size=1, max_size=10)


@pytest.mark.django_db
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(writes=WRITES)
def test_summaries_equal_the_recomputed_figures_after_any_writes(world, writes):
    prefix = f"H{next(EXAMPLES)}-"  # each example adds its own customers beside the world's
    customers = add_customers(world, world.c1, world.cm_c1_1, 6, prefix=prefix)
    tiers = list(Tier.values)
    for kind, i, n in writes:
        c = Customer.objects.get(pk=customers[i].pk)
        if kind == "contact":
            contact_create(actor=world.head_c1, customer=c, kind=ContactKind.PHONE,
                           contacted_at=timezone.now() - dt.timedelta(hours=n))
        elif kind == "contact_old":
            make_contact(c, world.cm_c1_1, TODAY - dt.timedelta(days=n))
        elif kind == "tier":
            customer_update(actor=world.head_c1, customer=c, tier=tiers[n % len(tiers)])
        elif kind == "status":
            customer_update(actor=world.head_c1, customer=c, status=["active", "dormant", "closed"][n % 3])
        elif kind == "set_tier":
            customer_set_tier(customer=c, to_tier=tiers[n % len(tiers)], changed_on=TODAY, source="recompute")
        elif kind == "transfer":
            target = [world.cm_c1_1, world.cm_c1_2][n % 2]
            if c.client_manager_id != target.pk:
                customer_reassign(actor=world.head_c1, customer=c, to_manager=target)
        elif kind == "delete":
            record = ContactRecord.objects.filter(customer=c).order_by("?").first()
            if record:
                record.delete()
        elif kind == "redate":
            record = ContactRecord.objects.filter(customer=c).first()
            if record:
                record.contacted_at = at(TODAY - dt.timedelta(days=n))
                record.save()
    assert_summaries_equal_data()
    assert summary_coverage(world.head_c1, TODAY) == live_coverage(world.head_c1, TODAY)
    assert summary_coverage(world.hq_service, TODAY) == live_coverage(world.hq_service, TODAY)
    live_tiers = {t: Customer.objects.visible_to(world.head_c1).filter(tier=t).count() for t in Tier.values}
    assert tier_counts(world.head_c1) == live_tiers


@pytest.mark.django_db
def test_rebuild_is_idempotent_and_the_check_command_passes(world):
    make_contact(world.cust_a, world.cm_c1_1, TODAY)
    before = sorted(CoverageCount.objects.values_list("center_id", "manager_id", "tier", "anchor_month", "contacted",
                                                      "n"))
    call_command("rebuild_summaries")
    call_command("rebuild_summaries")
    after = sorted(CoverageCount.objects.values_list("center_id", "manager_id", "tier", "anchor_month", "contacted",
                                                     "n"))
    assert [r for r in before if r[-1]] == after
    call_command("rebuild_summaries", "--check")
    CustomerCount.objects.filter(center=world.c1).update(n=F("n") + 1)
    with pytest.raises(Exception, match="summaries differ"):
        call_command("rebuild_summaries", "--check")


@pytest.mark.django_db
def test_a_contact_moves_the_last_contact_and_the_coverage_in_the_same_transaction(world):
    contact_create(actor=world.cm_c1_1, customer=world.cust_a, kind=ContactKind.PHONE, contacted_at=timezone.now())
    state = ContactState.objects.get(pk=world.cust_a.pk)
    assert state.last_contact_at is not None
    assert summary_coverage(world.head_c1, TODAY)[world.cm_c1_1.pk][1] == 1
    assert_summaries_equal_data()


@pytest.mark.django_db
def test_daily_load_rebuilds_the_aum_sums(world):
    with connection.cursor() as cursor:  # what the load's UPDATE … FROM does, below the ORM
        cursor.execute("UPDATE customers_customer SET aum = %s WHERE id = %s", [Decimal("1234.50"), world.cust_a.pk])
    rebuild(balance_derived=True)
    row = CustomerCount.objects.filter(center=world.c1, manager=world.cm_c1_1, tier=world.cust_a.tier)
    assert sum(r.aum for r in row) == Decimal("1234.50")
    assert_summaries_equal_data()


# ---- concurrent writers ---------------------------------------------------------------------------------

@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_threads_writing_contacts_in_one_center_leave_the_counts_exact(world):
    customers = add_customers(world, world.c1, world.cm_c1_1, 10, prefix="Z")
    targets = iter([c.pk for c in customers] * 2)  # two contacts per customer, all at once
    import threading
    guard = threading.Lock()

    def pick():
        with guard:
            return next(targets)

    result = race(lambda pk: contact_create(actor=world.cm_c1_1, customer=Customer.objects.get(pk=pk),
                                            kind=ContactKind.PHONE, contacted_at=timezone.now()), prepare=pick)
    assert not result.errors and len(result.winners) == 20
    assert_summaries_equal_data()
    rows = summary_coverage(world.head_c1, TODAY)
    assert rows == live_coverage(world.head_c1, TODAY)
    assert ContactState.objects.filter(customer__in=customers).count() == 10


# ---- fixed query counts -----------------------------------------------------------------------------------

def _queries(client, url) -> int:
    client.get(url)  # warm: the first request reads parameters and caches once
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["head_c1", "branch1_service", "hq_service"])
def test_roll_up_pages_use_the_same_queries_with_ten_times_the_rows(world, login_as, persona):
    c3 = add_center(world)
    add_customers(world, c3, world.cm_c3_1, 2, prefix="Q")
    for c in Customer.objects.filter(cif_no__startswith="Q"):
        make_contact(c, world.cm_c3_1, TODAY)
    client = login_as(persona)
    urls = ["/contacts/coverage/", "/orgs/", "/?overview=1"]
    counts = {u: _queries(client, u) for u in urls}
    for n in range(2):  # ten times the customers, more centers and managers
        add_center(world, code=f"C{4 + n}", name=f"理财中心{n}")
        add_customers(world, world.units[f"c{4 + n}"], world.users[f"cm_c{4 + n}_1"], 10, prefix=f"Q{n}")
    add_customers(world, world.c1, world.cm_c1_1, 10, prefix="QQ")
    for c in Customer.objects.filter(cif_no__startswith="Q"):
        make_contact(c, c.client_manager, TODAY - dt.timedelta(days=40))
    assert {u: _queries(client, u) for u in urls} == counts


# ---- drill-down and bad input ------------------------------------------------------------------------------

@pytest.mark.django_db
def test_coverage_at_head_office_shows_the_level_below_and_drills_down_to_a_center(world, login_as):
    client = login_as("hq_service")
    html = client.get("/contacts/coverage/").content.decode()
    assert f'data-unit="{world.branch1.pk}"' in html and f'data-unit="{world.c1.pk}"' not in html
    assert 'data-testid="coverage-table"' not in html
    html = client.get(f"/contacts/coverage/?unit={world.c1.pk}").content.decode()
    assert f'data-manager="{world.cm_c1_1.pk}"' in html and f'data-manager="{world.cm_c2_1.pk}"' not in html
    # the center head keeps the per-manager view of the own center
    html = login_as("head_c1").get("/contacts/coverage/").content.decode()
    assert f'data-manager="{world.cm_c1_1.pk}"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/contacts/coverage/", "/orgs/"])
def test_an_unknown_or_out_of_scope_unit_in_the_drill_down_is_a_404(world, login_as, url):
    client = login_as("branch1_service")
    for bad in ["abc", "999999", str(world.c2.pk), str(world.branch2.pk), "1e3", "-1", "9" * 40]:
        assert client.get(f"{url}?unit={bad}").status_code == 404, bad
    assert client.get(f"{url}?unit={world.c1.pk}").status_code == 200


@pytest.mark.browser
def test_browser_coverage_drill_down_from_head_office_to_a_center_and_a_bad_unit(world, page, live_server):
    from wealthdesk.core.testing.browser import login, screenshot
    from wealthdesk.core.testing.world import PASSWORD

    login(page, "hq_service", PASSWORD)
    page.goto(f"{live_server.url}/contacts/coverage/")
    for unit in (world.branch1, world.sub1, world.c1):
        page.locator(f'[data-testid="coverage-units"] tr[data-unit="{unit.pk}"] a').click()
        page.wait_for_url(f"**/contacts/coverage/?unit={unit.pk}")
    assert page.locator(f'[data-testid="coverage-table"] tr[data-manager="{world.cm_c1_1.pk}"]').count() == 1
    assert page.locator('[data-testid="coverage-breadcrumbs"]').inner_text().count(world.branch1.name) == 1
    screenshot(page, "coverage_drill_down")
    response = page.goto(f"{live_server.url}/contacts/coverage/?unit=abc")
    assert response.status == 404
    assert "不在您的管辖范围内" in page.content()
