"""/api/v1/holdings/ and /api/v1/transactions/: keyset pages with the bounded count (issue 16) — the same rows
per persona as before, a fixed number of queries at 1× and 10× the rows, and no exact COUNT over the bank."""
import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wealthdesk.corebanking.models import Holding, Product, Transaction

pytestmark = pytest.mark.django_db


def add_holdings(world, n, start=0):
    product = Product.objects.get_or_create(code="WMP001", defaults={"name": "稳盈", "kind": "wmp", "risk_level": "R2"})[0]
    for i in range(start, start + n):
        for cust in (world.cust_a, world.cust_b):
            Holding.objects.create(customer=cust, product=product, account_no=f"6222{cust.pk:06d}{i:06d}",
                                   amount=Decimal("1000"), start_date=dt.date(2026, 1, 1))


def add_transactions(world, n, start=0):
    for i in range(start, start + n):
        for cust in (world.cust_a, world.cust_b):
            Transaction.objects.create(
                external_id=f"T{cust.pk}-{i}", customer=cust, account_no="6222000011",
                occurred_at=dt.datetime(2026, 11, 1, 10, tzinfo=dt.UTC) + dt.timedelta(hours=i % 5),
                amount=Decimal("10"), direction="out", channel="mobile", counterparty_kind="other_bank")


ADDERS = {"/api/v1/holdings/": add_holdings, "/api/v1/transactions/": add_transactions}


def walk(client, url):
    """Every row of the list, following the ``next`` links; the queries of each page."""
    ids, counts, page = [], [], url + "?page_size=2"
    while page:
        with CaptureQueriesContext(connection) as q:
            body = client.get(page).json()
        counts.append(len(q))
        ids += [r["id"] for r in body["results"]]
        page = body["next"]
    return ids, counts, body


@pytest.mark.parametrize("url", list(ADDERS))
def test_pages_are_keyset_pages_with_the_bounded_count(world, api_as, url):
    ADDERS[url](world, 3)
    body = api_as("hq_service").get(url + "?page_size=2").json()
    assert body["count"] == 6 and body["count_exact"] is True  # the bounded count (old: page numbers, no flag)
    assert "cursor=" in body["next"] and "page=" not in body["next"]


@pytest.mark.parametrize("url", list(ADDERS))
def test_rows_per_persona_unchanged_and_every_row_once(world, api_as, url):
    ADDERS[url](world, 4)
    model = Holding if "holdings" in url else Transaction
    c1 = set(model.objects.filter(customer__center=world.c1).values_list("pk", flat=True))
    ids, _, _ = walk(api_as("head_c1"), url)
    assert len(ids) == len(set(ids)) and set(ids) == c1
    ids, _, _ = walk(api_as("hq_service"), url)
    assert set(ids) == set(model.objects.values_list("pk", flat=True))
    assert api_as("head_c2").get(f"{url}{min(c1)}/").status_code == 404  # an outsider: still not found


@pytest.mark.parametrize("url", list(ADDERS))
def test_queries_per_page_do_not_grow_with_rows(world, api_as, url):
    client = api_as("hq_service")
    ADDERS[url](world, 3)
    client.get(url)  # the first request of a token also records its use
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    ADDERS[url](world, 27, start=3)  # 10×
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(small) == len(large)
    _, counts, _ = walk(client, url)
    assert len(set(counts[1:-1])) <= 1  # a deep page costs what the second does
