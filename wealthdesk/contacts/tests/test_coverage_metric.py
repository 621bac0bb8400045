"""The contact-coverage target metric (R26 → R33, R34) read from the maintained summaries (issue 16): the same
(met, due) per manager as the previous definition (a correlated ``Max`` of the contacts made by the period's
end), for a running period and for one that is over, whatever the contacts after the end; one query for one
manager or many."""
import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, DateTimeField, F, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wealthdesk.contacts import policy
from wealthdesk.contacts.coverage_metric import _read_days, coverage_parts
from wealthdesk.contacts.models import ContactPolicy, ContactRecord
from wealthdesk.contacts.tests.factories import at, make_contact
from wealthdesk.core import summaries
from wealthdesk.core.audit import audited_update
from wealthdesk.customers.choices import Tier
from wealthdesk.customers.models import Customer

pytestmark = pytest.mark.django_db


def previous_definition(user_ids, end):
    """The metric as it was before issue 16 (kept here as the reference the summaries must equal)."""
    met_day, overdue_day = _read_days(end)
    months = policy.intervals()
    upto = policy._start(met_day + dt.timedelta(days=1))
    last = (ContactRecord.objects.filter(customer=OuterRef("pk"), contacted_at__lt=upto).values("customer")
            .annotate(m=Max("contacted_at")).values("m"))
    qs = (Customer.objects.filter(client_manager_id__in=list(user_ids), tier__in=policy.policy_tiers(months),
                                  created_at__lt=upto)
          .annotate(last_contact_at=Subquery(last, output_field=DateTimeField()))
          .annotate(policy_anchor=Coalesce(F("last_contact_at"), F("created_at"))))
    rows = (qs.values("client_manager_id")
            .annotate(met=Count("id", filter=policy.met_q(met_day, months)),
                      overdue=Count("id", filter=policy.overdue_q(overdue_day, months))).order_by())
    return {r["client_manager_id"]: (r["met"], r["met"] + r["overdue"]) for r in rows if r["met"] + r["overdue"]}


def month_start(day, back=0):
    return policy.add_months(day, -back)


def customer(world, n, tier, cm, created):
    c = Customer.objects.create(cif_no=f"K{n:08d}", name=f"覆盖{n}", id_type="other", id_number=f"KX{n}",
                                center=world.c1, client_manager=world.users[cm], tier=tier, aum_avg=Decimal("1"))
    audited_update(Customer.objects.filter(pk=c.pk), actor=None, what="test set-up", created_at=at(created, 9))
    return c


def mixed_contacts(world):
    """Every case of the rule over five months: contacted in each month, only before, only after the period,
    never, created during the period, ordinary (no policy), a private customer on a two-month policy."""
    today = timezone.localdate()
    ContactPolicy.objects.update_or_create(tier=Tier.PRIVATE, defaults={"interval_months": 2})
    old = month_start(today, 8)
    n = 0
    for cm in ("cm_c1_1", "cm_c1_2", "cm_c2_1"):
        for tier in (Tier.PREMIUM, Tier.CORE, Tier.PRIVATE, Tier.ORDINARY):
            for pattern in ((), (1,), (2,), (1, 3), (0,), (0, 2), (4,), (3, 0)):
                n += 1
                c = customer(world, n, tier, cm, old if n % 5 else month_start(today, 1) + dt.timedelta(days=3))
                for back in pattern:
                    make_contact(c, world.users[cm], min(month_start(today, back) + dt.timedelta(days=n % 20), today))
    return [world.users[u].pk for u in ("cm_c1_1", "cm_c1_2", "cm_c2_1")]


def test_coverage_from_the_summaries_equals_the_previous_definition_for_running_and_past_periods(world):
    ids = mixed_contacts(world)
    today = timezone.localdate()
    assert summaries.check() == {k: [] for k in summaries.check()}, "the summaries are current after the writes"
    for back in range(0, 4):
        start = month_start(today, back)
        end = policy.month_end(start)
        expected = previous_definition(ids, end)
        assert len(expected) == 3 and coverage_parts(ids, start, end) == expected, start
    quarter_end = policy.month_end(month_start(today, 1))
    assert coverage_parts(ids[:1], month_start(today, 3), quarter_end) == previous_definition(ids[:1], quarter_end)
    assert coverage_parts([], today, today) == {}


def test_coverage_runs_one_query_for_one_manager_or_many(world):
    ids = mixed_contacts(world)
    today = timezone.localdate()
    for end in (policy.month_end(today), policy.month_end(month_start(today, 2))):
        coverage_parts(ids, today, end)  # the policy intervals are cached after the first read
        with CaptureQueriesContext(connection) as one:
            coverage_parts(ids[:1], today, end)
        with CaptureQueriesContext(connection) as three:
            coverage_parts(ids + list(range(90000, 90050)), today, end)
        assert len(one) == len(three) == 1
