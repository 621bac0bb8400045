"""The contact list at every level (issue 16): keyset pages and fixed query counts, the team lead's scope."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wealthdesk.contacts.models import ContactRecord

pytestmark = pytest.mark.django_db


def add_contacts(world, n):
    start = timezone.make_aware(dt.datetime(2026, 11, 2, 9, 0))
    rows = []
    for i in range(n):
        customer = (world.cust_a, world.cust_a2, world.cust_b)[i % 3]
        rows.append(ContactRecord(customer=customer, staff=customer.client_manager, kind="phone",
                                  contacted_at=start + dt.timedelta(hours=i // 2), purpose="回访"))
    ContactRecord.objects.bulk_create(rows)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("persona", ["lead_c1", "head_c1", "branch1_service", "hq_service"])
def test_contact_list_runs_the_same_queries_with_ten_times_the_rows(login_as, world, persona):
    client = login_as(persona)
    client.get("/")  # the first request after sign-in touches the session and fills the caches
    add_contacts(world, 60)
    small, response = count_queries(client, "/contacts/")
    deep, _ = count_queries(client, "/contacts/?cursor=" + response.context["page"].next_cursor)
    add_contacts(world, 600)
    assert count_queries(client, "/contacts/")[0] == small
    _, response = count_queries(client, "/contacts/?kind=phone")
    assert count_queries(client, "/contacts/?kind=phone&cursor=" + response.context["page"].next_cursor)[0] == deep


def test_contact_pages_walk_the_team_leads_contacts_once_newest_first(login_as, world):
    add_contacts(world, 90)  # ties: two contacts an hour
    client = login_as("lead_c1")
    response, seen = client.get("/contacts/"), []
    while True:
        page = response.context["page"]
        seen += [r.pk for r in page.object_list]
        if not page.has_next:
            break
        response = client.get(f"/contacts/?cursor={page.next_cursor}")
    expected = list(ContactRecord.objects.filter(customer__center=world.c1).order_by("-contacted_at", "-id")
                    .values_list("pk", flat=True))
    assert seen == expected and len(expected) == 60


def test_api_contact_list_keeps_its_shape_with_cursor_links(api_as, world):
    add_contacts(world, 30)
    body = api_as("cm_c1_1").get("/api/v1/contacts/?page_size=4").json()
    assert set(body) == {"count", "count_exact", "next", "previous", "results"}
    assert body["count"] == 10 and len(body["results"]) == 4 and "cursor=" in body["next"]
