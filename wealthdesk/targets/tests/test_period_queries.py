"""Issue 16: the targets list (page and API) and the performance sheets (page and API) run the same number of
queries whatever the number of periods they show — one target month or eight, one open sheet month or four —
because each metric answers every period of the page in one batch."""
import datetime as dt

import pytest

from wealthdesk.core.testing.scale import page_fetcher, query_counts
from wealthdesk.targets import services

from .helpers import last_month, plan_c1

pytestmark = pytest.mark.django_db


def months_back(n: int) -> list[dt.date]:
    out, month = [], last_month()
    for _ in range(n):
        out.append(month)
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return out


def plan(world, months):
    for month in months:
        plan_c1(world, month)


def open_sheets(world, months):
    for month in months:
        services.sheet_open(actor=world.head_c1, unit=world.c1, month=month)


TARGET_PERSONAS = ["cm_c1_1", "lead_c1", "head_c1", "branch1_service"]


@pytest.mark.parametrize("url,api", [("/api/v1/targets/", True), ("/targets/", False),
                                     ("/api/v1/targets/?kind=month", True)])
def test_targets_list_queries_do_not_grow_with_the_periods(world, url, api):
    months = months_back(8)
    plan(world, months[:1])
    fetch = page_fetcher(world, url, api=api)
    one = query_counts(TARGET_PERSONAS, fetch)
    plan(world, months[1:])
    if api:  # the client manager's page holds several months of own targets (8 a month)
        rows = fetch("cm_c1_1").json()["results"]
        assert len({r["period_start"] for r in rows}) >= 5
    assert query_counts(TARGET_PERSONAS, fetch) == one


SHEET_PERSONAS = ["head_c1", "subbranch1_service", "branch1_service", "hq_service"]


@pytest.mark.parametrize("url,api", [("/api/v1/performance-sheets/", True), ("/targets/sheets/", False)])
def test_sheet_lists_queries_do_not_grow_with_the_open_months(world, url, api):
    months = months_back(4)
    plan(world, months)
    open_sheets(world, months[:1])
    fetch = page_fetcher(world, url, api=api)
    one = query_counts(SHEET_PERSONAS, fetch)
    open_sheets(world, months[1:])
    if api:
        rows = fetch("branch1_service").json()["results"]
        assert len(rows) == 4 and all(r["staff"] and not r["is_closed"] for r in rows)
        assert all(line["lines"] for r in rows for line in r["staff"])
    else:  # every open month on the page has its live average (not only the latest two)
        body = fetch("branch1_service").content.decode()
        assert body.count('data-testid="average">—') == 0 and body.count('data-testid="sheet-row"') == 4
    assert query_counts(SHEET_PERSONAS, fetch) == one
