"""Issue 16: the compliance monitor at bank scale keeps its figures.

* R26 (the contact policy) is read from the maintained coverage summary: per center it always equals the live
  count over the customers and their last contact, after contacts, back-dated contacts, deleted contacts, tier
  changes and transfers, on any day of the month and later months;
* a level's row, its children's rows and the ten weakest centers are the sums of their centers' figures (R1), the
  same as ``core.rollup.rollup_children`` over every measure's per-center figures;
* the summaries stay exact (``rebuild_summaries --check``)."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from wealthdesk.compliance import selectors
from wealthdesk.contacts.compliance import customers_contacted, customers_contacted_live
from wealthdesk.contacts.models import ContactRecord
from wealthdesk.contacts.tests.factories import make_contact
from wealthdesk.core.registry import compliance_measures
from wealthdesk.core.rollup import rollup_children
from wealthdesk.core.summaries import rebuild
from wealthdesk.core.testing.scale import grow
from wealthdesk.customers.choices import Tier
from wealthdesk.customers.models import Customer
from wealthdesk.customers.services import customer_reassign, customer_set_tier
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _days() -> list[dt.date]:
    first = TODAY.replace(day=1)
    return [TODAY, first, first - dt.timedelta(days=1), TODAY + dt.timedelta(days=40),
            TODAY + dt.timedelta(days=75), TODAY + dt.timedelta(days=400)]


def _centers() -> list[int]:
    return list(OrgUnit.objects.filter(kind=UnitKind.CENTER).values_list("pk", flat=True))


def _assert_r26_equals_live():
    ids = _centers()
    for day in _days():
        assert customers_contacted(ids, day) == customers_contacted_live(ids, day), day


def test_contact_policy_figures_from_the_summary_equal_the_live_count_after_every_kind_of_write(world):
    grow(world, 3)
    rebuild()  # grow() bulk-creates its customers past the services, like a seed, which then rebuilds
    _assert_r26_equals_live()
    customers = list(Customer.objects.order_by("pk"))
    for i, c in enumerate(customers[:12]):  # this month, last month, two and five months ago
        make_contact(c, world.cm_c1_1, TODAY - dt.timedelta(days=[0, 31, 62, 150][i % 4]))
    _assert_r26_equals_live()
    make_contact(customers[0], world.cm_c1_1, TODAY - dt.timedelta(days=200))  # back-dated: the last one stays
    for record in ContactRecord.objects.filter(customer=customers[1]):  # one by one, as a user deletes them
        record.delete()  # never contacted again: anchored at creation
    customer_set_tier(customer=customers[2], to_tier=Tier.ORDINARY, changed_on=TODAY, source="recompute")
    customer_set_tier(customer=customers[3], to_tier=Tier.PRIVATE, changed_on=TODAY, source="recompute")
    moved = Customer.objects.filter(client_manager=world.cm_c1_1).exclude(pk=world.cust_a.pk).first()
    customer_reassign(actor=world.head_c1, customer=moved, to_manager=world.cm_c1_2)
    _assert_r26_equals_live()
    call_command("rebuild_summaries", "--check")


def _reference(unit: OrgUnit, today: dt.date) -> tuple[dict, list]:
    """The roll-up as it was computed before issue 16: every measure's figures per center, summed by
    ``core.rollup.rollup_children``, and the weakest centers ranked over full rows of every center."""
    centers = list(OrgUnit.objects.filter(path__startswith=unit.path, kind=UnitKind.CENTER, is_active=True))
    ids = [c.pk for c in centers]
    measures = compliance_measures()
    per_center: dict[int, dict[str, float]] = {}
    for m in measures:
        for cid, f in m.compute(ids, today).items():
            for part in ("due", "done", "overdue"):
                per_center.setdefault(cid, {})[f"{m.key}:{part}"] = f[part]
    keys = [m.key for m in measures]

    def totals(figures):
        return tuple(int(sum(figures.get(f"{k}:{p}", 0) for k in keys)) for p in ("due", "done", "overdue"))

    children = {r["unit"].pk: {k: tuple(int(r["figures"].get(f"{k}:{p}", 0)) for p in ("due", "done", "overdue"))
                               for k in keys}
                for r in rollup_children(unit, per_center)}
    ranked = []
    for c in centers:
        due, done, overdue = totals(per_center.get(c.pk, {}))
        if due:
            ranked.append((done / due, -overdue, c.path, c.pk))
    return children, [pk for *_k, pk in sorted(ranked)[:selectors.WEAKEST]]


@pytest.mark.parametrize("unit_key", ["c1", "sub1", "branch1", "hq"])
def test_children_and_weakest_centers_are_the_sums_of_their_centers_at_every_level(world, unit_key):
    grow(world, 12)
    rebuild()
    for i, c in enumerate(Customer.objects.order_by("pk")[:30]):
        make_contact(c, world.cm_c1_1, TODAY - dt.timedelta(days=[0, 45][i % 2]))
    unit = world.units[unit_key]
    for day in (TODAY, TODAY + dt.timedelta(days=70)):
        m = selectors.monitor(unit, day)
        children, weakest = _reference(unit, day)
        assert {c.unit.pk: {k: (f["due"], f["done"], f["overdue"]) for k, f in c.rules.items()}
                for c in m["children"]} == children
        assert [w.unit.pk for w in m["weakest"]] == weakest
        for child in m["children"]:  # a child's overall figures are the sums of its rules
            assert (child.due, child.done, child.overdue) == tuple(
                sum(f[p] for f in child.cells) for p in ("due", "done", "overdue"))
        assert [(r.due, r.done, r.overdue) for r in m["rows"] if r.measured] == [
            tuple(sum(c.rules[r.key][p] for c in m["children"]) for p in ("due", "done", "overdue"))
            for r in m["rows"] if r.measured]
