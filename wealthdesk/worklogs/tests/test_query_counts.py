"""Issue 16: the center head's home and team page and the client manager's workbench run a fixed number of
queries — the same for 1× and 10× the staff, customers, contacts and logs."""
import pytest

from wealthdesk.core.testing.scale import grow, page_fetcher, query_counts

pytestmark = pytest.mark.django_db

# a center head's and a team lead's home "/" is the team page, a client manager's the workbench
PAGES = [("/worklogs/team/", ["head_c1", "lead_c1"]), ("/worklogs/workbench/", ["cm_c1_1"])]


def test_head_and_workbench_pages_run_the_same_queries_for_ten_times_the_data(world):
    fetchers = {url: page_fetcher(world, url) for url, _personas in PAGES}
    before = {url: query_counts(personas, fetchers[url]) for url, personas in PAGES}
    grow(world, 9)
    after = {url: query_counts(personas, fetchers[url]) for url, personas in PAGES}
    assert after == before
