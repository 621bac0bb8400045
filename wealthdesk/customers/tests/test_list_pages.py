"""The customer list at bank size (issue 16): keyset pages in every order, fixed query counts at every level,
counts exact when cheap and otherwise an estimate, clear messages for a bad cursor, scope kept on every page."""
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wealthdesk.core.keyset import encode_cursor
from wealthdesk.customers.choices import IdType, Tier
from wealthdesk.customers.models import Customer

pytestmark = pytest.mark.django_db


def add_customers(world, n, *, start=100, aum=None, name="客户", both=True):
    """``n`` customers alternating between center C1 (cm_c1_1) and C2 (cm_c2_1); ties in AUM when ``aum``."""
    rows = []
    for i in range(start, start + n):
        in_c1 = (i % 2 == 0) or not both
        rows.append(Customer(
            cif_no=f"X{i:09d}", name=f"{name}{i}", id_type=IdType.PASSPORT, id_number=f"P{i}",
            center=world.c1 if in_c1 else world.c2, client_manager=world.cm_c1_1 if in_c1 else world.cm_c2_1,
            tier=Tier.PREMIUM, aum=Decimal(aum or 300000 + (i % 7) * 1000),
            aum_avg=Decimal(aum or 300000 + (i % 7) * 1000)))
    Customer.objects.bulk_create(rows)


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries), response


def walk(client, url, *, limit=100):
    """Follow the next cursors from ``url`` to the end: the ids in page order and the pages' numbers."""
    ids, numbers, response = [], [], client.get(url)
    for _ in range(limit):
        assert response.status_code == 200
        page = response.context["page"]
        ids += [c.pk for c in page.object_list]
        numbers.append(page.number)
        if not page.has_next:
            break
        sep = "&" if "?" in url else "?"
        response = client.get(f"{url}{sep}cursor={page.next_cursor}")
    return ids, numbers


@pytest.mark.parametrize("persona", ["head_c1", "branch1_service", "hq_service"])
def test_customer_list_runs_the_same_queries_with_ten_times_the_rows(login_as, world, persona):
    client = login_as(persona)
    client.get("/")  # the first request after sign-in touches the session and fills the caches
    add_customers(world, 40)
    first, response = queries(client, "/customers/")
    deep, _ = queries(client, "/customers/?cursor=" + response.context["page"].next_cursor)
    add_customers(world, 400, start=1000)
    assert queries(client, "/customers/")[0] == first
    assert queries(client, "/customers/?sort=name")[0] == first
    _, response = queries(client, "/customers/?sort=name")
    assert queries(client, "/customers/?sort=name&cursor=" + response.context["page"].next_cursor)[0] == deep


@pytest.mark.parametrize("sort", ["", "-aum", "aum", "name", "cif"])
def test_keyset_pages_walk_every_customer_once_in_the_sort_order(login_as, world, sort):
    add_customers(world, 70, aum=500000)  # all tie on AUM: the id breaks the tie
    client = login_as("hq_service")
    ids, numbers = walk(client, f"/customers/?sort={sort}")
    expected = [c.pk for c in Customer.objects.order_by({"": "-aum_avg", "-aum": "-aum_avg", "aum": "aum_avg",
                                                         "name": "name", "cif": "cif_no"}[sort], "id")]
    assert ids == expected
    assert numbers == [1, 2, 3]  # 73 customers, 25 a page


def test_previous_page_is_the_page_before_and_filters_are_kept(login_as, world):
    add_customers(world, 80, aum=500000)
    client = login_as("hq_service")
    url = "/customers/?tier=premium&q=客户"
    page1 = client.get(url).context["page"]
    page2 = client.get(f"{url}&cursor={page1.next_cursor}").context["page"]
    page3 = client.get(f"{url}&cursor={page2.next_cursor}")
    body = page3.content.decode()
    assert "tier=premium" in body.split('data-testid="page-previous"')[1].split(">")[0]
    back = client.get(f"{url}&cursor={page3.context['page'].previous_cursor}").context["page"]
    assert [c.pk for c in back.object_list] == [c.pk for c in page2.object_list] and back.number == 2
    first = client.get(f"{url}&cursor={page2.previous_cursor}").context["page"]
    assert [c.pk for c in first.object_list] == [c.pk for c in page1.object_list]
    assert first.number == 1 and not first.has_previous
    assert all(c.tier == Tier.PREMIUM for c in first.object_list)


@pytest.mark.parametrize("cursor", ["garbage", "eyJrIjpbMV19", encode_cursor(["x", 1], back=False, number=2),
                                    encode_cursor([1], back=False, number=2), "%00%FF"])
def test_a_bad_cursor_is_a_clear_message_not_a_500(login_as, api_as, world, cursor):
    response = login_as("head_c1").get(f"/customers/?cursor={cursor}")
    assert response.status_code == 400
    assert "翻页参数无效" in response.content.decode()
    api = api_as("head_c1").get(f"/api/v1/customers/?cursor={cursor}")
    assert api.status_code == 400 and "翻页参数无效" in api.json()["cursor"][0]


def test_the_count_is_exact_when_small_and_an_estimate_beyond_the_bound(login_as, world, settings):
    add_customers(world, 30)
    client = login_as("hq_service")
    assert "共 33 条" in client.get("/customers/").content.decode()
    settings.WD_EXACT_COUNT_LIMIT = 10
    count = client.get("/customers/").context["count"]
    assert not count.exact and count.value >= 10
    body = client.get("/customers/").content.decode()
    assert ("约 " in body and "（估计）" in body) if connection.vendor == "postgresql" else "超过 10 条" in body


def test_a_cursor_never_opens_rows_outside_the_scope(login_as, world):
    add_customers(world, 60)
    page = login_as("hq_service").get("/customers/").context["page"]
    outsider = login_as("head_c2").get(f"/customers/?cursor={page.next_cursor}")
    assert outsider.status_code == 200
    assert {c.center_id for c in outsider.context["page"].object_list} <= {world.c2.pk}


def test_api_customer_list_pages_with_cursors(api_as, world):
    add_customers(world, 30)
    client = api_as("hq_service")
    first = client.get("/api/v1/customers/?page_size=10").json()
    assert first["count"] == 33 and first["count_exact"] is True and first["previous"] is None
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 10 and second["previous"]
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}
    again = client.get(second["previous"]).json()
    assert [r["id"] for r in again["results"]] == [r["id"] for r in first["results"]]
    bad = client.get("/api/v1/customers/?page_size=abc")
    assert bad.status_code == 400 and "page_size" in bad.json()


def test_api_customer_list_query_count_is_fixed(api_as, world):
    client = api_as("hq_service")
    add_customers(world, 20)
    client.get("/api/v1/customers/")  # warm: the first request of a token loads what later ones reuse
    with CaptureQueriesContext(connection) as small:
        assert client.get("/api/v1/customers/").status_code == 200
    add_customers(world, 200, start=1000)
    with CaptureQueriesContext(connection) as large:
        assert client.get("/api/v1/customers/").status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries)


def test_two_character_name_search_finds_names_beginning_with_them(login_as, world):
    Customer.objects.bulk_create([
        Customer(cif_no="Y1", name="张伟东", id_type=IdType.PASSPORT, id_number="Y1", center=world.c1,
                 client_manager=world.cm_c1_1, tier=Tier.PREMIUM),
        Customer(cif_no="Y2", name="李张伟", id_type=IdType.PASSPORT, id_number="Y2", center=world.c1,
                 client_manager=world.cm_c1_1, tier=Tier.PREMIUM)])
    client = login_as("head_c1")
    names = {c.name for c in client.get("/customers/?q=张伟").context["object_list"]}
    assert names == {"张伟", "张伟东"}  # prefix: 李张伟 is found by three characters
    assert {c.name for c in client.get("/customers/?q=张伟东").context["object_list"]} == {"张伟东"}
    assert {c.name for c in client.get("/customers/?q=李张伟").context["object_list"]} == {"李张伟"}
