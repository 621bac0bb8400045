"""The needs cards page and /api/v1/needs-cards/ (issue 16): keyset pages with the bounded count, the question
counts as correlated subqueries (no COUNT DISTINCT over a join of every card), the same cards per persona."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from wealthdesk.voice.models import NeedsCard

from .helpers import make_card, routed

pytestmark = pytest.mark.django_db


def add(world, n):
    for _ in range(n):
        card = make_card(world, needs=("investment", "loan"))
        routed(world, "supervisor", card=card)
        routed(world, "supervisor", card=card, text="第二个问题？")


def test_page_is_a_keyset_page_with_more_link(world, client):
    add(world, 26)
    client.force_login(world.users["hq_service"])
    body = client.get("/voice/").content.decode()
    assert 'data-testid="keyset-pagination"' in body and 'data-testid="page-next"' in body and "cursor=" in body
    assert body.count("voice/cards/") <= 26 + 5  # one page of 25, not every card of the bank


def test_question_counts_per_card(world, client):
    add(world, 1)
    client.force_login(world.users["head_c1"])
    card = client.get("/voice/").context["object_list"][0]
    assert (card.n_questions, card.n_pending) == (2, 2)


def test_category_filter_gives_each_card_once(world):
    add(world, 3)
    api = APIClient()
    api.force_login(world.users["head_c1"])
    ids = [r["id"] for r in api.get("/api/v1/needs-cards/?category=loan").json()["results"]]
    assert len(ids) == len(set(ids)) == 3
    assert api.get("/api/v1/needs-cards/?category=insurance").json()["results"] == []


@pytest.mark.parametrize("persona", ["head_c1", "hq_service", "cm_c1_1"])
def test_cards_per_persona_unchanged(world, persona):
    add(world, 3)
    api = APIClient()
    api.force_login(world.users[persona])
    expected = set(NeedsCard.objects.visible_to(world.users[persona]).values_list("pk", flat=True))
    ids, page = [], "/api/v1/needs-cards/?page_size=2"
    while page:
        body = api.get(page).json()
        ids += [r["id"] for r in body["results"]]
        page = body["next"]
    assert len(ids) == len(set(ids)) and set(ids) == expected and expected
    outsider = APIClient()
    outsider.force_login(world.users["head_c2"])
    assert outsider.get(f"/api/v1/needs-cards/{ids[0]}/").status_code == 404


@pytest.mark.parametrize("url", ["/voice/", "/api/v1/needs-cards/"])
def test_queries_do_not_grow_with_rows(world, client, url):
    c = APIClient() if url.startswith("/api/") else client
    c.force_login(world.users["hq_service"])
    add(world, 3)
    c.get(url)
    with CaptureQueriesContext(connection) as small:
        assert c.get(url).status_code == 200
    add(world, 27)
    with CaptureQueriesContext(connection) as large:
        assert c.get(url).status_code == 200
    assert len(small) == len(large)


@pytest.mark.parametrize("persona", ["head_c1", "hq_service", "cm_c1_1"])
def test_list_rows_are_the_detail_with_question_counts(world, persona):
    """The list's rows (issue 16: no nested questions) are the detail's fields, the questions as two counts that
    equal the detail's questions (all, and those not yet told to the customer)."""
    from wealthdesk.voice.choices import QuestionStatus

    add(world, 3)
    make_card(world, needs=("loan",))  # a card without questions
    api = APIClient()
    api.force_login(world.users[persona])
    rows = api.get("/api/v1/needs-cards/").json()["results"]
    assert len(rows) == 4
    told = 0
    for row in rows:
        detail = api.get(f"/api/v1/needs-cards/{row['id']}/").json()
        questions = detail.pop("questions")
        assert row.pop("questions_count") == len(questions)
        assert row.pop("pending_count") == sum(1 for q in questions if q["status"] != QuestionStatus.TOLD)
        assert row == detail
        told += len(questions)
    assert told == 6
