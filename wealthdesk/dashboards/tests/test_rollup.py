"""R1: every figure at a level is the sum of the level below; shares are recomputed from the summed parts."""
import datetime as dt

import pytest

from wealthdesk.core.registry import unit_figures
from wealthdesk.dashboards import selectors
from wealthdesk.dashboards.models import CenterDayAum

from .helpers import fill, today

pytestmark = pytest.mark.django_db


def board(world, unit_key, user="hq_service"):
    period = selectors.parse_period("")
    return selectors.dashboard(world.users[user], world.units[unit_key], period)


def test_every_registered_source_is_on_the_dashboard():
    keys = {f.key for f in unit_figures()}
    for expected in ("customers_total", "premium_customers", "aum_total", "aum_change_day", "aum_change_month",
                     "aum_change_year", "tier_upgrades", "tier_downgrades", "alerts_movements", "maturities_count",
                     "contact_coverage", "referrals_made", "complaints_received", "needs_in_time_rate"):
        assert expected in keys


def test_each_level_sums_its_children_for_every_figure(world):
    fill(world)
    for parent in ("hq", "branch1", "branch2", "sub1", "sub2"):
        b = board(world, parent)
        assert b.rows, parent
        for f in b.figures:
            if f.ratio:
                continue
            children = sum((r.figures.get(f.key) or 0) for r in b.rows)
            assert b.total[f.key] == pytest.approx(children), (parent, f.key)


def test_head_office_figures_equal_the_centers_figures(world):
    fill(world)
    hq = board(world, "hq")
    c1, c2 = board(world, "c1"), board(world, "c2")
    for f in hq.figures:
        if not f.ratio:
            assert hq.total[f.key] == pytest.approx(c1.total[f.key] + c2.total[f.key]), f.key
    assert hq.total["customers_total"] == 3
    assert hq.total["premium_customers"] == 3
    assert hq.total["aum_total"] == pytest.approx(1_500_000 + 400_000 + 8_000_000)
    assert hq.total["tier_upgrades"] == 1 and hq.total["tier_downgrades"] == 1
    assert hq.total["maturities_count"] == 2 and hq.total["maturities_amount"] == pytest.approx(350_000)
    assert hq.total["complaints_received"] == 2
    assert hq.total["alerts_movements"] == 3


def test_shares_are_recomputed_from_the_summed_parts(world):
    fill(world)
    hq = board(world, "hq")
    assert hq.total["contact_coverage"] == pytest.approx(hq.total["premium_contacted"] / hq.total["premium_customers"])
    assert hq.total["contact_coverage"] == 1.0
    assert hq.total["needs_in_time_rate"] is None  # nothing due: no share, not zero


def test_aum_change_from_the_daily_summary(world):
    fill(world)
    hq = board(world, "hq")
    # Every customer's balance rose by 1,000 a day: three customers.
    assert hq.total["aum_change_day"] == pytest.approx(3000)
    days = selectors.compute([world.c1.pk], today(), today())
    assert days[world.c1.pk]["aum_change_day"] == pytest.approx(2000)
    assert CenterDayAum.objects.filter(as_of=today()).count() == 2


def test_aum_summary_is_rebuilt_after_a_new_load(world):
    from wealthdesk.corebanking.choices import BatchStatus, ImportKind
    from wealthdesk.corebanking.models import DailyBalance, ImportBatch

    fill(world)
    board(world, "hq")
    DailyBalance.objects.filter(customer=world.cust_b, as_of=today()).update(aum=0)
    ImportBatch.objects.create(kind=ImportKind.BALANCES, file_name="c.csv", content_hash="y" * 64, as_of=today(),
                               status=BatchStatus.LOADED)
    hq = board(world, "hq")
    assert hq.total["aum_change_day"] == pytest.approx(2000 - (7_900_000 + 38_000))


def test_a_center_shows_its_client_managers(world):
    fill(world)
    b = board(world, "c1", user="head_c1")
    assert b.rows_are_staff
    names = [r.name for r in b.rows]
    assert "cm_c1_1" in names and "cm_c1_2" in names
    row = next(r for r in b.rows if r.name == "cm_c1_1")
    assert row.figures["customers_total"] == 1 and row.figures["contacts_made"] == 2


def test_flow_figures_compare_with_last_month_and_last_year(world):
    fill(world)
    b = board(world, "hq")
    rows = {i["figure"].key: i for i in b.comparison()}
    assert rows["contacts_made"]["previous"] is not None and rows["contacts_made"]["last_year"] == 0
    assert rows["customers_total"]["previous"] is None  # a state figure: as of now, not compared


def test_period_same_span_of_previous_month():
    p = selectors.Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert p.shifted(1) == selectors.Period(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert p.shifted(12) == selectors.Period(dt.date(2025, 3, 1), dt.date(2025, 3, 31))


def test_period_in_the_future_or_before_the_data_is_refused(world):
    with pytest.raises(selectors.PeriodError, match="还没有到来"):
        selectors.parse_period("2999-01")
    with pytest.raises(selectors.PeriodError, match="早于系统数据的起始日期"):
        selectors.parse_period("2001-01")
    with pytest.raises(selectors.PeriodError, match="YYYY-MM"):
        selectors.parse_period("2026-13")
