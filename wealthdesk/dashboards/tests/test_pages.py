"""The dashboard page, its export and API: figures shown, drill-down links, bad periods answered with the reason,
a fixed number of queries whatever the number of centers."""
import pytest

from wealthdesk.core.audit import AuditAction
from wealthdesk.core.models import AuditLog
from wealthdesk.core.testing.exports import download, xlsx_text
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.orgs.models import OrgUnit

from .helpers import fill

pytestmark = pytest.mark.django_db


def test_head_office_dashboard_links_down_to_the_branches(login_as, world):
    fill(world)
    client = login_as("hq_service")
    resp = client.get("/dashboards/")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert f'href="/dashboards/{world.branch1.pk}/?period=' in html
    assert "北京分行" in html and "上海分行" in html
    assert 'data-chart="chart-tiers"' in html and "vendor/echarts/echarts.min.js" in html
    assert "<script>" not in html.split("</nav>", 1)[-1]  # CSP: no inline scripts


def test_center_dashboard_lists_client_managers(login_as, world):
    fill(world)
    html = login_as("head_c1").get("/dashboards/").content.decode()
    assert "按客户经理" in html and "cm_c1_1" in html


@pytest.mark.parametrize("period, message", [("2999-01", "还没有到来"), ("1990-01", "早于系统数据的起始日期"),
                                             ("abc", "YYYY-MM")])
def test_bad_period_is_a_clear_message(login_as, world, period, message):
    resp = login_as("hq_service").get("/dashboards/", {"period": period})
    assert resp.status_code == 400
    assert message in resp.content.decode()
    api = login_as("hq_service").get("/api/v1/dashboards/", {"period": period})
    assert api.status_code == 400 and message in api.json()["period"][0]


def test_unknown_unit_is_not_found(login_as, world):
    assert login_as("hq_service").get("/dashboards/999999/").status_code == 404
    assert login_as("hq_service").get("/api/v1/dashboards/999999/").status_code == 404


def test_export_is_audited_and_holds_the_figures(login_as, world):
    fill(world)
    resp = login_as("branch1_service").get(f"/dashboards/{world.branch1.pk}/export/")
    assert resp.status_code == 200
    text = xlsx_text(download(resp))
    assert "《经营看板》" in text and "客户数" in text and "朝阳支行" in text
    assert AuditLog.objects.filter(action=AuditAction.EXPORT, actor=world.branch1_service).exists()


def test_api_rows_carry_ids_to_drill_down(api_as, world):
    fill(world)
    data = api_as("hq_service").get("/api/v1/dashboards/").json()
    assert data["id"] == world.hq.pk
    assert {c["id"] for c in data["children"]} == {world.branch1.pk, world.branch2.pk}
    figures = {f["key"]: f for f in data["figures"]}
    assert figures["customers_total"]["value"] == 3
    child = api_as("hq_service").get(f"/api/v1/dashboards/{world.branch1.pk}/").json()
    assert child["id"] == world.branch1.pk


def _add_centers(world, n):
    for i in range(n):
        OrgUnit.objects.create(code=f"X{i}", name=f"新中心{i}", kind=UnitKind.CENTER, parent=world.sub1)


def test_query_count_does_not_grow_with_the_centers(login_as, world, django_assert_max_num_queries):
    fill(world)
    client = login_as("hq_service")
    client.get("/dashboards/")  # the AUM summary is built on the first read
    with django_assert_max_num_queries(60) as few:
        client.get("/dashboards/")
    _add_centers(world, 30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/dashboards/")
