"""R17 statistics against a hand-counted fixture: the daily table, the monthly table with quality and ranking,
roll-up sums equal to the sum of the centers, the Excel export, the API and the registered metrics."""
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from wealthdesk.core.models import AuditAction, AuditLog
from wealthdesk.core.registry import metric_values
from wealthdesk.core.testing.exports import download
from wealthdesk.referrals import selectors
from wealthdesk.referrals.choices import ReferralStatus
from wealthdesk.referrals.models import Referral

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 26)


def _r(world, referrer, position, day, status="new", amount=None, center="c1", cm="cm_c1_1", unit=None):
    now = timezone.now()
    return Referral(referrer=world.users[referrer], referrer_position=position,
                    referrer_unit=world.units[unit or center], center=world.units[center],
                    customer_label="某*", prospect_name="某某", prospect_mobile="13700000000", signal="other",
                    assigned_to=world.users[cm], assignment_method="round_robin", status=status, referred_on=day,
                    due_on=day + dt.timedelta(days=4),
                    accepted_at=now if status != "new" else None,
                    converted_on=day if status == "converted" else None,
                    conversion_amount=Decimal(amount) if amount else None,
                    conversion_source="manual" if status == "converted" else "",
                    invalid_reason="无需求" if status == "invalid" else "")


@pytest.fixture
def fixture_rows(world):
    """Hand count for 2026-11-26 in C1: cash teller 3 made (1 accepted, 1 converted 100,000, 1 new);
    non-cash teller 1 invalid; lobby manager 2 (1 contacted, 1 new). One more cash-teller referral on
    2026-11-10 converted 50,000. C2: one referral by head_c2's center (counted only at head office level)."""
    rows = [
        _r(world, "teller_c1", "cash_teller", DAY, "accepted"),
        _r(world, "teller_c1", "cash_teller", DAY, "converted", "100000"),
        _r(world, "teller_c1", "cash_teller", DAY),
        _r(world, "teller2_c1", "noncash_teller", DAY, "invalid"),
        _r(world, "lobby_c1", "lobby_manager", DAY, "contacted"),
        _r(world, "lobby_c1", "lobby_manager", DAY),
        _r(world, "teller_c1", "cash_teller", dt.date(2026, 11, 10), "converted", "50000"),
        _r(world, "head_c2", "cash_teller", DAY, "converted", "30000", center="c2", cm="cm_c2_1"),
    ]
    Referral.objects.bulk_create(rows)


def _pos(stats):
    return {p["referrer_position"]: p for p in stats["by_position"]}


def test_daily_table_counts_per_position_and_referrer(world, fixture_rows):
    stats = selectors.statistics(world.head_c1, period="day", day=DAY)
    pos = _pos(stats)
    assert (pos["cash_teller"]["made"], pos["cash_teller"]["accepted"], pos["cash_teller"]["converted"],
            pos["cash_teller"]["invalid"]) == (3, 2, 1, 0)
    assert (pos["noncash_teller"]["made"], pos["noncash_teller"]["invalid"]) == (1, 1)
    assert (pos["lobby_manager"]["made"], pos["lobby_manager"]["accepted"]) == (2, 1)
    assert stats["total"]["made"] == 6  # C2's referral is outside the head's center
    by_name = {r["name"]: r for r in stats["by_referrer"]}
    assert by_name["teller_c1"]["made"] == 3 and by_name["lobby_c1"]["made"] == 2


def test_monthly_table_has_quality_and_ranking(world, fixture_rows):
    stats = selectors.statistics(world.head_c1, period="month", day=DAY)
    cash = _pos(stats)["cash_teller"]
    assert cash["made"] == 4 and cash["converted"] == 2 and cash["aum"] == Decimal("150000")
    assert cash["rate"] == pytest.approx(0.5)
    assert [r["name"] for r in stats["by_referrer"]][0] == "teller_c1"
    assert stats["by_referrer"][0]["rank"] == 1


def test_rollup_sums_equal_the_sum_of_the_centers(world, fixture_rows):
    stats = selectors.statistics(world.hq_service, period="month", day=DAY)
    by_unit = {row["unit"].code: row["figures"] for row in stats["by_unit"]}
    assert by_unit["B1"]["made"] == 7 and by_unit["B2"]["made"] == 1
    c1 = selectors.statistics(world.head_c1, period="month", day=DAY)["total"]
    c2 = selectors.statistics(world.head_c2, period="month", day=DAY)["total"]
    for key in ("made", "accepted", "converted", "invalid"):
        assert stats["unit_total"][key] == c1[key] + c2[key] == stats["total"][key]
    assert Decimal(str(stats["unit_total"]["aum"])) == c1["aum"] + c2["aum"]


def test_drill_down_to_a_subbranch_shows_its_centers(world, fixture_rows, login_as):
    response = login_as("hq_service").get(f"/referrals/stats/?period=month&date=2026-11-26&unit={world.sub1.pk}")
    assert response.status_code == 200
    rows = response.context["stats"]["by_unit"]
    assert {r["unit"].code for r in rows} == {"C1", "O1"}
    assert sum(r["figures"]["made"] for r in rows) == 7


def test_lobby_manager_keeps_the_daily_statistics_of_the_center(world, fixture_rows):
    stats = selectors.statistics(world.lobby_c1, period="day", day=DAY)
    assert stats["total"]["made"] == 6


def test_daily_excel_in_the_handbook_layout(world, fixture_rows, login_as):
    response = login_as("head_c1").get("/referrals/stats/export/?period=day&date=2026-11-26")
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(download(response))).active
    assert ws["A1"].value == "《优质客户推介日统计表》"
    assert ws["A2"].value == "机构：朝阳理财中心"
    assert [c.value for c in ws[4]][:8] == ["序号", "推介人", "岗位", "所在机构", "推介数", "已接收", "已转化", "无效"]
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
    subtotal = next(v for v in values if v[1] == "小计" and v[2] == "现金柜柜员")
    assert subtotal[4:8] == [3, 2, 1, 0]
    assert next(v for v in values if v[1] == "合计")[4] == 6
    assert AuditLog.objects.filter(action=AuditAction.EXPORT, actor=world.head_c1).exists()


def test_monthly_excel_has_rate_and_aum(world, fixture_rows, login_as):
    response = login_as("head_c1").get("/referrals/stats/export/?period=month&date=2026-11")
    ws = openpyxl.load_workbook(io.BytesIO(download(response))).active
    assert ws["A1"].value == "《优质客户推介月统计表》"
    assert [c.value for c in ws[4]][8:] == ["转化率", "带来资产（元）", "排名"]
    first = [c.value for c in ws[5]]
    assert first[1] == "teller_c1" and first[8] == "50.0%" and first[9] == 150000


def test_stats_api_gives_the_same_figures(world, fixture_rows, api_as):
    body = api_as("head_c1").get("/api/v1/referral-stats/?period=day&date=2026-11-26").json()
    pos = {p["id"]: p for p in body["by_position"]}
    assert pos["cash_teller"]["made"] == 3 and body["total"]["made"] == 6
    assert all("id" in r for r in body["by_referrer"])


def test_stats_api_rejects_a_bad_date(world, api_as):
    response = api_as("head_c1").get("/api/v1/referral-stats/?date=2026-13-45")
    assert response.status_code == 400 and "日期格式" in response.json()["date"][0]


def test_metrics_are_registered_and_set_based(world, fixture_rows, django_assert_max_num_queries):
    ids = [world.teller_c1.pk, world.lobby_c1.pk, world.cm_c1_1.pk]
    with django_assert_max_num_queries(1):
        made = metric_values("referrals_made", ids, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert made == {world.teller_c1.pk: 4, world.lobby_c1.pk: 2}
    assert metric_values("referrals_converted", ids, dt.date(2026, 11, 1), dt.date(2026, 11, 30)) == {
        world.teller_c1.pk: 2}
    today = timezone.localdate()
    followed = metric_values("referrals_followed", [world.cm_c1_1.pk], today, today)
    assert followed == {world.cm_c1_1.pk: 4}  # accepted, contacted and both converted ones


def test_trend_has_one_point_per_day(world, fixture_rows):
    data = selectors.trend(world.head_c1, end=DAY, days=30)
    assert len(data["labels"]) == 30 and data["made"][-1] == 6 and sum(data["converted"]) == 2


def test_stats_page_renders_the_echarts_trend(world, fixture_rows, login_as):
    response = login_as("head_c1").get("/referrals/stats/?date=2026-11-26")
    text = response.content.decode()
    assert 'data-chart="chart-referral-trend"' in text and "echarts.min.js" in text


@pytest.mark.parametrize("n", [1, 30])
def test_list_page_query_count_does_not_grow_with_rows(world, login_as, django_assert_max_num_queries, n):
    Referral.objects.bulk_create([_r(world, "teller_c1", "cash_teller", DAY) for _ in range(n)])
    client = login_as("head_c1")
    with django_assert_max_num_queries(12):
        assert client.get("/referrals/").status_code == 200


@pytest.mark.parametrize("n", [1, 30])
def test_stats_page_query_count_does_not_grow_with_rows(world, login_as, django_assert_max_num_queries, n):
    Referral.objects.bulk_create([_r(world, "teller_c1", "cash_teller", DAY) for _ in range(n)])
    client = login_as("hq_service")
    with django_assert_max_num_queries(16):
        assert client.get("/referrals/stats/?period=month&date=2026-11-26").status_code == 200


def test_overdue_referrals_are_flagged_to_the_head(world, login_as):
    Referral.objects.bulk_create([_r(world, "teller_c1", "cash_teller", dt.date(2026, 1, 5))])
    body = login_as("head_c1").get("/referrals/?overdue=1").content.decode()
    assert 'data-overdue="1"' in body
    assert ReferralStatus.NEW in Referral.objects.values_list("status", flat=True)


def test_panels_show_inbox_overdue_and_todays_counts(world, rf):
    from wealthdesk.core.registry import panels_for

    Referral.objects.bulk_create([_r(world, "teller_c1", "cash_teller", dt.date(2026, 1, 5)),
                                  _r(world, "lobby_c1", "lobby_manager", timezone.localdate())])
    request = rf.get("/")
    request.user = world.cm_c1_1
    inbox = next(p for p in panels_for(request, "workbench") if p["key"] == "referrals.inbox")["ctx"]
    assert inbox["counts"]["new"] == 2 and inbox["counts"]["overdue"] == 1
    request.user = world.head_c1
    head = next(p for p in panels_for(request, "head") if p["key"] == "referrals.head")["ctx"]
    assert head["overdue_total"] == 1
    assert {r["label"]: r["n"] for r in head["today_rows"]}["大堂经理"] == 1
    request.user = world.teller_c1
    front = next(p for p in panels_for(request, "home") if p["key"] == "referrals.front")["ctx"]
    assert front["counts"]["made"] >= 0
