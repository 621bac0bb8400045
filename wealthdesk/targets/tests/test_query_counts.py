"""Issue 16: the performance-sheets API and the targets list run a fixed number of queries — the same for a
center, a branch and head office, and for 1× and 10× the centers, staff and sheets."""
import pytest

from wealthdesk.core.testing.scale import grow, query_counts
from wealthdesk.targets import services

from .helpers import data, last_month

pytestmark = pytest.mark.django_db

UPPER = ["head_c1", "subbranch1_service", "branch1_service", "hq_service"]


def open_sheets(world, center, people):
    services.sheet_open(actor=people["head"], unit=center, month=last_month())


def fetch(api_as, url):
    def run(name):
        response = api_as(name).get(url)
        assert response.status_code == 200, (name, response.status_code)
        return response
    return run


def test_performance_sheets_api_queries_do_not_grow_with_scope_or_data(world, api_as):
    data(world)
    before = query_counts(UPPER, fetch(api_as, "/api/v1/performance-sheets/"))
    assert len(set(before.values())) == 1, before  # center, sub-branch, branch, head office alike
    grow(world, 9, extra=open_sheets)
    rows = api_as("hq_service").get("/api/v1/performance-sheets/").json()
    assert rows["count"] == 10 and all(r["staff"] for r in rows["results"])
    assert query_counts(UPPER, fetch(api_as, "/api/v1/performance-sheets/")) == before


def test_targets_api_queries_do_not_grow_with_data(world, api_as):
    data(world)
    personas = ["cm_c1_1", "lead_c1", "head_c1", "branch1_service", "hq_service"]
    before = query_counts(personas, fetch(api_as, "/api/v1/targets/"))
    grow(world, 9)
    assert query_counts(personas, fetch(api_as, "/api/v1/targets/")) == before


def test_targets_page_queries_do_not_grow_with_data(world):
    from wealthdesk.core.testing.scale import page_fetcher

    data(world)
    fetch = page_fetcher(world, "/targets/")
    personas = ["lead_c1", "head_c1", "branch1_service"]
    before = query_counts(personas, fetch)
    grow(world, 9, extra=open_sheets)
    assert query_counts(personas, fetch) == before
