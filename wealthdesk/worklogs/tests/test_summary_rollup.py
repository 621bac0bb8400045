"""R1 + R11: the log summary above the center is the sum of its centers, and only days due so far count."""
import datetime as dt

import pytest
from django.utils import timezone

from wealthdesk.core.testing.rollup import add_center
from wealthdesk.worklogs import selectors
from wealthdesk.worklogs.choices import LogStatus
from wealthdesk.worklogs.models import DailyLog

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 23)


def _log(user, center, day, **fields):
    return DailyLog.objects.create(staff=user, center=center, log_date=day, status=LogStatus.SUBMITTED,
                                   submitted_at=timezone.now(), **fields)


@pytest.fixture
def two_centers(world):
    c3 = add_center(world)
    _log(world.cm_c1_1, world.c1, MONDAY, customers_contacted=5, sales_amount=100000)
    _log(world.cm_c1_1, world.c1, MONDAY + dt.timedelta(days=1), customers_contacted=3)
    _log(world.cm_c1_2, world.c1, MONDAY, customers_contacted=2)
    _log(world.cm_c3_1, c3, MONDAY + dt.timedelta(days=2), customers_contacted=7, sales_amount=50000)
    _log(world.cm_c2_1, world.c2, MONDAY, customers_contacted=1)
    return world


def _center_totals(user):
    return selectors.summary(user, MONDAY, MONDAY + dt.timedelta(days=6), today=dt.date(2026, 12, 1))["totals"]


# The quality manager reaches complaints only (least privilege), so it is not among the upper levels here.
@pytest.mark.parametrize("persona", ["subbranch1_service", "branch1_service", "hq_service"])
def test_upper_levels_see_the_sum_of_their_centers(two_centers, persona):
    w = two_centers
    result = selectors.summary(w.users[persona], MONDAY, MONDAY + dt.timedelta(days=6), today=dt.date(2026, 12, 1))
    heads = [w.head_c1, w.head_c3] + ([w.head_c2] if persona == "hq_service" else [])
    expected = [_center_totals(h) for h in heads]
    for key in ("logs", "expected", "contacted", "sales", "reviewed"):
        assert result["totals"][key] == sum(t[key] for t in expected), key
    assert result["totals"]["logs"] > 0 and result["totals"]["expected"] > 0
    assert sum(r["logs"] for r in result["by_unit"]) == result["totals"]["logs"]


def test_sub_branch_rows_are_its_centers_and_equal_what_each_head_sees(two_centers):
    w = two_centers
    result = selectors.summary(w.subbranch1_service, MONDAY, MONDAY + dt.timedelta(days=6),
                               today=dt.date(2026, 12, 1))
    rows = {r["unit"].code: r for r in result["by_unit"]}
    assert set(rows) == {"C1", "C3", "O1"}
    assert (rows["C1"]["logs"], rows["C1"]["expected"]) == (3, 10)
    assert (rows["C3"]["logs"], rows["C3"]["expected"], rows["C3"]["contacted"]) == (1, 5, 7)
    assert rows["C1"]["logs"] == _center_totals(w.head_c1)["logs"]


def test_the_summary_page_shows_the_total_to_a_branch(two_centers, login_as):
    response = login_as("branch1_service").get(f"/worklogs/summary/?period=week&date={MONDAY.isoformat()}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "4/15" in html and "0/0" not in html


def test_future_days_of_the_week_are_not_yet_due(world):
    wednesday = MONDAY + dt.timedelta(days=2)
    _log(world.cm_c1_1, world.c1, MONDAY)
    _log(world.cm_c1_1, world.c1, MONDAY + dt.timedelta(days=1))
    result = selectors.summary(world.head_c1, MONDAY, MONDAY + dt.timedelta(days=6), today=wednesday)
    rows = {r["manager"].username: r for r in result["rows"]}
    assert result["working_days"] == 3
    assert (rows["cm_c1_1"]["logs"], rows["cm_c1_1"]["working_days"]) == (2, 3)
    assert result["totals"]["expected"] == 6
    assert selectors.summary(world.head_c1, MONDAY + dt.timedelta(days=7), MONDAY + dt.timedelta(days=13),
                             today=wednesday)["totals"]["expected"] == 0
