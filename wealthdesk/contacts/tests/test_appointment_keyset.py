"""/api/v1/appointments/: keyset pages with the bounded count (issue 16): the rows per persona as before, a fixed
number of queries at 1× and 10× the rows (head office's exact COUNT over the bank cost seconds)."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wealthdesk.contacts.models import Appointment

pytestmark = pytest.mark.django_db
URL = "/api/v1/appointments/"


def add(world, n, start=0):
    at = timezone.now() + dt.timedelta(days=1)
    for i in range(start, start + n):
        Appointment.objects.create(customer=world.cust_a, staff=world.cm_c1_1, planned_at=at + dt.timedelta(hours=i % 3))
        Appointment.objects.create(customer=world.cust_b, staff=world.cm_c2_1, planned_at=at)


def walk(client):
    ids, page = [], URL + "?page_size=2"
    while page:
        body = client.get(page).json()
        ids += [r["id"] for r in body["results"]]
        page = body["next"]
    return ids


def test_keyset_pages_with_the_bounded_count(world, api_as):
    add(world, 3)
    body = api_as("hq_service").get(URL + "?page_size=2").json()
    assert body["count"] == 6 and body["count_exact"] is True
    assert "cursor=" in body["next"]


def test_rows_per_persona_unchanged(world, api_as):
    add(world, 4)
    c1 = set(Appointment.objects.filter(customer__center=world.c1).values_list("pk", flat=True))
    ids = walk(api_as("head_c1"))
    assert len(ids) == len(set(ids)) and set(ids) == c1
    assert set(walk(api_as("hq_service"))) == set(Appointment.objects.values_list("pk", flat=True))
    assert api_as("head_c2").get(f"{URL}{min(c1)}/").status_code == 404


def test_queries_do_not_grow_with_rows(world, api_as):
    client = api_as("hq_service")
    add(world, 3)
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL).status_code == 200
    add(world, 27, start=3)
    with CaptureQueriesContext(connection) as large:
        assert client.get(URL).status_code == 200
    assert len(small) == len(large)
