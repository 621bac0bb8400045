"""《客户投诉日统计》 and 《客户投诉月统计》 (R31) against hand-counted fixtures, rolled up the org tree with drill-down."""
import datetime as dt
import io

import openpyxl
import pytest

from wealthdesk.complaints import services, stats
from wealthdesk.complaints.choices import Outcome
from wealthdesk.core.audit import audited_update
from wealthdesk.core.models import AuditAction, AuditLog
from wealthdesk.core.testing.exports import download

from .helpers import record

pytestmark = pytest.mark.django_db

D1, D2 = dt.date(2026, 11, 2), dt.date(2026, 11, 3)


@pytest.fixture
def fixtures(world):
    """Hand-counted: C1 gets 3 complaints on 11-02 (2 counter/waiting, 1 phone/fees), 1 on 11-03 (letter);
    C2 gets 1 on 11-02 (online). On 11-03 C1 closes one in time (resolved) and one late (explained: its
    deadline moved back in the fixture); C2 stays open."""
    a = record(world, received_on=D1)
    b = record(world, received_on=D1)
    record(world, received_on=D1, channel="phone", category="fees")
    record(world, received_on=D2, channel="letter", category="attitude")
    record(world, actor="head_c2", received_on=D1, channel="online", category="system")
    services.complaint_close(actor=world.head_c1, complaint=a, resolution="致歉", outcome=Outcome.RESOLVED,
                             closed_on=D2)
    audited_update(type(b).objects.filter(pk=b.pk), actor=None, what="test set-up", due_on=D1)  # make it late
    b.refresh_from_db()
    services.complaint_close(actor=world.head_c1, complaint=b, resolution="说明排队规则", outcome=Outcome.EXPLAINED,
                             closed_on=D2)
    return world


def table(world, kind, value, unit):
    return stats.build_table(unit, stats.parse_period(kind, value, D2))


def test_daily_statistics_of_a_center_match_the_hand_count(fixtures):
    w = fixtures
    t = table(w, "daily", "2026-11-02", w.c1)
    (row,) = t.rows
    f = row["figures"]
    assert (f["received"], f["ch_counter"], f["ch_phone"], f["cat_waiting"], f["cat_fees"], f["closed"]) == \
        (3, 2, 1, 2, 1, 0)
    t = table(w, "daily", "2026-11-03", w.c1)
    f = t.rows[0]["figures"]
    assert (f["received"], f["ch_letter"], f["closed"], f["out_resolved"], f["out_explained"], f["in_time"]) == \
        (1, 1, 2, 1, 1, 1)
    assert t.rows[0]["rate"] == 0.5
    assert (f["open_end"], f["overdue_end"]) == (2, 0)


def test_monthly_statistics_roll_up_to_head_office_with_drill_down(fixtures):
    w = fixtures
    t = table(w, "monthly", "2026-11", w.hq)
    by_unit = {r["unit"].code: r for r in t.rows}
    assert set(by_unit) == {"B1", "B2"}
    assert by_unit["B1"]["figures"]["received"] == 4 and by_unit["B2"]["figures"]["received"] == 1
    assert by_unit["B1"]["drill"] and t.total["figures"]["received"] == 5
    assert t.total["figures"]["ch_online"] == 1 and t.total["figures"]["closed"] == 2
    sub = table(w, "monthly", "2026-11", w.sub1)
    assert [r["unit"].code for r in sub.rows] == ["C1", "O1"]
    assert sub.rows[0]["figures"]["received"] == 4 and not sub.rows[0]["drill"]


def test_roll_up_sums_equal_the_sum_of_centers(fixtures):
    w = fixtures
    top = table(w, "monthly", "2026-11", w.hq).total["figures"]
    c1 = table(w, "monthly", "2026-11", w.c1).total["figures"]
    c2 = table(w, "monthly", "2026-11", w.c2).total["figures"]
    assert top == {k: c1[k] + c2[k] for k in top}


def test_bad_period_gets_a_clear_message(login_as, world):
    response = login_as("head_c1").get("/complaints/stats/daily/?date=2026-13-45")
    assert response.status_code == 400 and "日期格式应为 YYYY-MM-DD" in response.content.decode()
    response = login_as("head_c1").get("/api/v1/complaint-stats/?period=monthly&month=11/2026")
    assert response.status_code == 400 and "月份格式应为 YYYY-MM" in response.json()["month"][0]


def test_stats_page_shows_the_table_and_charts(login_as, fixtures):
    w = fixtures
    body = login_as("branch1_service").get(f"/complaints/stats/monthly/?month=2026-11&unit={w.branch1.pk}")
    html = body.content.decode()
    assert "《客户投诉月统计》" in html and 'data-chart="chart-channel"' in html and 'id="chart-channel"' in html
    assert f"?unit={w.sub1.pk}&month=2026-11" in html  # drill-down link


def test_stats_export_opens_back_in_the_handbook_layout(login_as, fixtures):
    w = fixtures
    response = login_as("head_c1").get("/complaints/stats/daily/?date=2026-11-02&format=xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(download(response))).active
    assert ws["A1"].value == "《客户投诉日统计》"
    assert "朝阳理财中心" in ws["A2"].value
    headers = [c.value for c in ws[4]]
    assert headers[:3] == ["机构", "受理数", "柜面"] and headers[-1] == "按期答复率"
    assert ws["A5"].value == "朝阳理财中心" and ws["B5"].value == 3
    assert ws["A6"].value == "合计" and ws["B6"].value == 3
    assert AuditLog.objects.filter(action=AuditAction.EXPORT, unit_id=w.c1.pk).exists()


def test_stats_api_rows_carry_the_unit_id(api_as, fixtures):
    w = fixtures
    data = api_as("hq_service").get("/api/v1/complaint-stats/?period=monthly&month=2026-11").json()
    assert data["count"] == 2 and {r["id"] for r in data["results"]} == {w.branch1.pk, w.branch2.pk}
    assert data["total"]["received"] == 5 and data["total"]["in_time_rate"] == 0.5


def test_stats_page_queries_do_not_grow_with_rows(login_as, world, django_assert_max_num_queries):
    client = login_as("hq_service")
    record(world)
    with django_assert_max_num_queries(14):
        assert client.get("/complaints/stats/monthly/").status_code == 200
    for _ in range(10):
        record(world, actor="head_c2")
    with django_assert_max_num_queries(14):
        assert client.get("/complaints/stats/monthly/").status_code == 200
