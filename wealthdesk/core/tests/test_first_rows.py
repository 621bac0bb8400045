"""Issue 16: a panel's first rows and its total in one query (``core.subquery.first_rows_and_count``) — the same
rows and the same number as the list query and the ``count()`` it replaces, on random data and filters."""
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wealthdesk.core.subquery import first_rows_and_count
from wealthdesk.core.testing.world import _customer

pytestmark = pytest.mark.django_db


def test_first_rows_and_count_equal_the_list_and_the_count_in_one_query(world):
    from wealthdesk.customers.models import Customer

    rng = random.Random(16)
    tiers = ["private", "core", "premium", "ordinary"]
    for i in range(40):
        _customer(f"C9{i:08d}", f"随机{i}", f"1101051980010{i:04d}1", f"1390000{i:04d}", world.c1,
                  rng.choice([world.cm_c1_1, world.cm_c1_2]), rng.choice(tiers), "100000.00")
    base = Customer.objects.visible_to(world.head_c1).select_related("client_manager")
    for _ in range(12):
        qs = base.filter(tier__in=rng.sample(tiers, rng.randint(1, 4))).order_by(rng.choice(["cif_no", "-id", "tier"]),
                                                                                 "id")
        if rng.random() < 0.5:
            qs = qs.filter(client_manager=rng.choice([world.cm_c1_1, world.cm_c1_2]))
        limit = rng.choice([1, 5, 8, 100])
        with CaptureQueriesContext(connection) as q:
            rows, total = first_rows_and_count(qs, limit)
        assert len(q.captured_queries) == 1
        assert [r.pk for r in rows] == [r.pk for r in qs[:limit]]
        assert total == qs.count()
        assert all(r.client_manager_id for r in rows)  # select_related kept: no query per row below
    rows, total = first_rows_and_count(base.filter(cif_no="X"), 8)
    assert rows == [] and total == 0


def test_a_distinct_queryset_keeps_its_own_count(world):
    from wealthdesk.staff.models import User

    qs = User.objects.filter(role_assignments__role__in=["client_manager", "team_lead"]).distinct().order_by("id")
    rows, total = first_rows_and_count(qs, 3)
    assert [u.pk for u in rows] == [u.pk for u in qs[:3]] and total == qs.count()
