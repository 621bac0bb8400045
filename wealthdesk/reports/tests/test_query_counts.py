"""Issue 16: the reports API list runs a fixed number of queries for head office and a branch — the same for 1×
and 10× the centers and their submitted reports. Each report read outside its center is masked with its center's
customer names; those load for every center of the page in one query (it was one query per report)."""
import pytest

from wealthdesk.core.submission import submission_submit
from wealthdesk.core.testing.scale import grow, page_fetcher, query_counts

from .helpers import monthly

pytestmark = pytest.mark.django_db

UPPER = ["branch1_service", "hq_service"]


NAMES: dict[int, str] = {}


def submitted_report(world, center, people):
    """A submitted monthly report of the center quoting one of its customers by name."""
    from wealthdesk.customers.models import Customer

    world.users.setdefault(people["cm1"].username, people["cm1"])
    name = Customer.objects.filter(center=center).order_by("id").values_list("name", flat=True).first()
    NAMES[center.pk] = name
    report = monthly(world, who=people["cm1"].username, text=f"客户{name}的资产稳定增长。")
    submission_submit(actor=people["cm1"], report=report)


def test_reports_api_list_queries_do_not_grow_with_the_centers(world):
    submitted_report(world, world.c1, {"cm1": world.cm_c1_1})
    fetch = page_fetcher(world, "/api/v1/reports/", api=True)
    before = query_counts(UPPER, fetch)
    grow(world, 9, extra=lambda w, center, people: center != w.c1 and submitted_report(w, center, people))
    rows = fetch("hq_service").json()
    assert rows["count"] == 10
    # masked outside the author's center: its customer's name never appears in clear
    assert all(NAMES[r["unit"]] not in str(r["content"]) for r in rows["results"])
    assert all("资产稳定增长" in str(r["content"]) for r in rows["results"])
    assert query_counts(UPPER, fetch) == before
    assert before["hq_service"] <= 10, before
