"""The alert list at every level (issue 16): keyset pages, fixed query counts, the client-manager filter as a
search picker (an unknown or out-of-scope id is a clear message), and the API's cursor pages."""
import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wealthdesk.alerts.models import Alert, AlertRule
from wealthdesk.alerts.rules import ensure_default_rules

pytestmark = pytest.mark.django_db


def add_alerts(world, n):
    """``n`` open alerts, one customer each (one open alert per customer and rule), in turn of cm_c1_1,
    cm_c1_2 (center C1) and cm_c2_1 (center C2); due dates tie in threes."""
    from wealthdesk.customers.choices import IdType, Tier
    from wealthdesk.customers.models import Customer

    ensure_default_rules(AlertRule)
    rule = AlertRule.objects.filter(kind="single_outflow").order_by("id").first()
    day = dt.date(2026, 11, 24)
    base = Customer.objects.count() + 1000
    owners = [(world.c1, world.cm_c1_1), (world.c1, world.cm_c1_2), (world.c2, world.cm_c2_1)]
    customers = Customer.objects.bulk_create([
        Customer(cif_no=f"A{base + i:09d}", name=f"预警客户{i}", id_type=IdType.PASSPORT, id_number=f"A{base + i}",
                 center=owners[i % 3][0], client_manager=owners[i % 3][1], tier=Tier.PREMIUM) for i in range(n)])
    customers = Customer.objects.filter(cif_no__in=[c.cif_no for c in customers]).order_by("cif_no")
    Alert.objects.bulk_create([
        Alert(kind="single_outflow", rule=rule, customer=c, center_id=c.center_id, assigned_to_id=c.client_manager_id,
              as_of=day, amount=Decimal("600000"), due_date=day + dt.timedelta(days=i % 3), status="new",
              summary="单笔转出") for i, c in enumerate(customers)])


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("persona", ["head_c1", "branch1_service", "hq_service"])
def test_alert_list_runs_the_same_queries_with_ten_times_the_rows(login_as, world, persona):
    client = login_as(persona)
    client.get("/")  # the first request after sign-in touches the session and fills the caches
    add_alerts(world, 30)
    small, response = count_queries(client, "/alerts/")
    deep, _ = count_queries(client, "/alerts/?cursor=" + response.context["page"].next_cursor)
    add_alerts(world, 300)
    assert count_queries(client, "/alerts/")[0] == small
    _, response = count_queries(client, "/alerts/")
    assert count_queries(client, "/alerts/?cursor=" + response.context["page"].next_cursor)[0] == deep


def test_alert_pages_walk_every_alert_once(login_as, world):
    add_alerts(world, 60)
    client = login_as("hq_service")
    response, seen = client.get("/alerts/?status=new"), []
    while True:
        page = response.context["page"]
        seen += [a.pk for a in page.object_list]
        if not page.has_next:
            break
        response = client.get(f"/alerts/?status=new&cursor={page.next_cursor}")
    assert seen == list(Alert.objects.filter(status="new").order_by("status", "due_date", "-id")
                        .values_list("pk", flat=True))


def test_manager_filter_is_a_search_picker_not_a_list_of_every_manager(login_as, world):
    body = login_as("hq_service").get("/alerts/").content.decode()
    assert 'data-picker' in body and "/staff/pick/?role=client_manager" in body
    assert '<select name="manager"' not in body and "cm_c2_1" not in body


def test_manager_filter_narrows_the_list_and_shows_the_chosen_name(login_as, world):
    add_alerts(world, 9)
    response = login_as("hq_service").get(f"/alerts/?manager={world.cm_c2_1.pk}")
    assert {a.assigned_to_id for a in response.context["object_list"]} == {world.cm_c2_1.pk}
    assert 'value="cm_c2_1"' in response.content.decode()  # the picker shows who is chosen


@pytest.mark.parametrize("value", ["999999", "abc", "1e3"])
def test_an_unknown_manager_is_a_clear_message_not_a_500(login_as, world, value):
    response = login_as("hq_service").get(f"/alerts/?manager={value}")
    assert response.status_code == 400
    assert "所选客户经理不存在或不在您的查看范围内" in response.content.decode()


def test_a_manager_outside_the_scope_is_refused(login_as, world):
    response = login_as("head_c1").get(f"/alerts/?manager={world.cm_c2_1.pk}")
    assert response.status_code == 400 and "不在您的查看范围内" in response.content.decode()


def test_staff_picker_finds_managers_in_scope_only(login_as, world):
    found = login_as("head_c1").get("/staff/pick/?role=client_manager&q=cm_").json()["results"]
    assert found == [] or all("c2" not in r["label"] for r in found)
    names = {r["label"] for r in login_as("head_c1").get("/staff/pick/?role=client_manager&q=cm_c1").json()["results"]}
    assert names == {"cm_c1_1", "cm_c1_2"}
    assert login_as("head_c1").get("/staff/pick/?role=client_manager&q=cm_c2").json()["results"] == []


def test_api_alert_list_pages_with_cursors_and_refuses_a_bad_one(api_as, world):
    add_alerts(world, 12)
    client = api_as("hq_service")
    first = client.get("/api/v1/alerts/?page_size=5").json()
    assert first["count"] == 12 and first["count_exact"] and len(first["results"]) == 5
    second = client.get(first["next"]).json()
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}
    bad = client.get("/api/v1/alerts/?cursor=xyz")
    assert bad.status_code == 400 and "cursor" in bad.json()
