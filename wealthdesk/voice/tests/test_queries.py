"""List pages run a fixed number of queries, with one row or many (no query in a loop)."""
import pytest

from wealthdesk.voice import services

from .helpers import make_card, routed

pytestmark = pytest.mark.django_db

PAGES = {"/voice/": "head_c1", "/voice/questions/?box=all": "head_c1", "/voice/opinions/": "head_c1",
         "/voice/surveys/": "head_c1", "/voice/summaries/": "branch1_service", "/api/v1/needs-cards/": "head_c1",
         "/api/v1/needs-questions/": "head_c1", "/api/v1/opinions/": "head_c1"}


def add_rows(world, n):
    for i in range(n):
        card = make_card(world, needs=("investment", "loan"))
        routed(world, "supervisor", card=card)
        services.opinion_post(unit=world.c1, content=f"意见内容第{i}条", ip=f"10.0.0.{i}")


@pytest.mark.parametrize("url", list(PAGES))
def test_list_page_queries_do_not_grow_with_rows(world, client, django_assert_max_num_queries, url):
    from rest_framework.test import APIClient

    api = url.startswith("/api/")
    c = APIClient() if api else client
    c.force_login(world.users[PAGES[url]])
    add_rows(world, 1)
    with django_assert_max_num_queries(16):
        assert c.get(url).status_code == 200
    add_rows(world, 12)
    with django_assert_max_num_queries(16):
        assert c.get(url).status_code == 200
