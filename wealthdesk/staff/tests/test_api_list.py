"""/api/v1/staff/ (issue 16): keyset pages in ``id`` order reading only the row's columns. Every persona walks
exactly the staff it sees, each row as the serializer gave it from the whole user row, and the list runs the same
queries for 1× and 10× the centers."""
import pytest
from rest_framework.test import APIClient

from wealthdesk.core.testing.scale import grow, page_fetcher, query_counts, walk_keyset
from wealthdesk.staff.api import StaffSerializer
from wealthdesk.staff.models import User

pytestmark = pytest.mark.django_db

PERSONAS = ["head_c1", "teller_c1", "admin"]


def _walk(world, persona, page_size=3):
    return walk_keyset(world.users[persona], f"/api/v1/staff/?page_size={page_size}")


@pytest.mark.parametrize("persona", PERSONAS)
def test_rows_are_the_visible_staff_as_before(world, persona):
    grow(world, 2)
    rows = _walk(world, persona)
    user = world.users[persona]
    expected = [StaffSerializer(u).data for u in User.objects.visible_to(user).select_related("unit").order_by("id")]
    assert rows == expected and rows
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)


def test_filters_still_apply(world):
    rows = _walk(world, "admin", page_size=50)
    unit = world.c1.pk
    api = APIClient()
    api.force_login(world.users["admin"])
    ids = [r["id"] for r in api.get(f"/api/v1/staff/?unit={unit}&page_size=500").json()["results"]]
    assert ids == [r["id"] for r in rows if r["unit"] == unit] and ids


def test_the_staff_list_runs_the_same_queries_for_ten_times_the_data(world):
    fetch = page_fetcher(world, "/api/v1/staff/", api=True)
    before = query_counts(PERSONAS, fetch)
    grow(world, 9)
    assert query_counts(PERSONAS, fetch) == before
