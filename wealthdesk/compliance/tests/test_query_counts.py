"""Issue 16: the compliance monitor (page and API) runs a fixed number of queries — the same at a center, a
sub-branch, a branch and head office, and for 1× and 10× the centers and their data."""
import pytest

from wealthdesk.core.testing.scale import grow, page_fetcher, query_counts

pytestmark = pytest.mark.django_db

LEVELS = ["head_c1", "subbranch1_service", "branch1_service", "hq_service"]


@pytest.mark.parametrize("url, api", [("/compliance/", False), ("/api/v1/compliance/", True)])
def test_the_monitor_runs_the_same_queries_at_every_level_and_for_ten_times_the_data(world, url, api):
    fetch = page_fetcher(world, url, api=api)
    before = query_counts(LEVELS, fetch)
    grow(world, 9)
    after = query_counts(LEVELS, fetch)
    assert after == before
    print(before)
