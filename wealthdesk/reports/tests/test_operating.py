"""The operating report (R35, 网点运营状况报告): monthly or quarterly per center, drafted from the same figures as
the dashboards (R1), the head's narrative, submitted up the chain; PDF (Chinese text read back) and the
/api/v1/operating-reports/ endpoint (who has submitted)."""
import io

import pytest

from wealthdesk.core import registry
from wealthdesk.core.submission import SubmissionStatus, submission_submit
from wealthdesk.reports import services
from wealthdesk.reports.choices import ReportKindChoice as K
from wealthdesk.reports.tests.helpers import center_report, last_period

pytestmark = pytest.mark.django_db


def _keys(report):
    return {i["key"]: i["value"] for g in report.figures["groups"] for i in g["items"]}


def _titles(report):
    return [g["title"] for g in report.figures["groups"]]


def test_the_monthly_draft_carries_every_dashboard_figure_and_the_staff(world):
    report = services.report_create(actor=world.head_c1, kind=K.OPERATING, period=last_period(K.OPERATING))
    keys = _keys(report)
    for f in registry.unit_figures():
        assert f.key in keys, f.key
    assert keys["customers_total"] == 2 and keys["aum_core"] == 1500000.0
    assert keys["staff_total"] >= 5 and keys["staff_client_manager"] == 2
    assert {"客户与资产", "资金异动与预警", "客户联系", "客户投诉", "人员情况"} <= set(_titles(report))


def test_a_quarterly_report_covers_the_quarter(world):
    report = services.report_create(actor=world.head_c1, kind=K.OPERATING_QUARTERLY,
                                    period=last_period(K.OPERATING_QUARTERLY))
    assert report.period_start.month in (1, 4, 7, 10)
    assert (report.period_end.month - report.period_start.month) == 2
    assert report.receiver_unit == world.sub1


def test_targets_and_campaigns_join_when_an_app_registers_them(world):
    registry.register_report_figures("test.targets", "目标完成情况", lambda unit, start, end: [
        {"key": "target_aum", "label": "AUM目标", "value": 1000, "unit": "yuan"}])
    try:
        report = services.report_create(actor=world.head_c1, kind=K.OPERATING, period=last_period(K.OPERATING))
    finally:
        registry._REPORT_FIGURES.pop("test.targets")
    assert "目标完成情况" in _titles(report) and _keys(report)["target_aum"] == 1000


def test_submitting_without_the_narrative_is_refused(world, api_as):
    report = services.report_create(actor=world.head_c1, kind=K.OPERATING, period=last_period(K.OPERATING))
    resp = api_as("head_c1").post(f"/api/v1/reports/{report.pk}/submit/", {}, format="json")
    assert resp.status_code == 400 and "运营概况" in str(resp.json())
    report.refresh_from_db()
    assert report.status == SubmissionStatus.DRAFT


def test_pdf_opens_back_with_the_chinese_text(login_as, world):
    from pypdf import PdfReader

    report = center_report(world, text="本月新增核心客户三户，资产稳步增长。")
    resp = login_as("head_c1").get(f"/reports/{report.pk}/pdf/")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(resp.content)).pages)
    assert "网点运营状况报告" in text and "本月新增核心客户三户" in text and "客户与资产" in text
    assert login_as("head_c2").get(f"/reports/{report.pk}/pdf/").status_code == 404


def test_levels_above_see_which_centers_submitted(world, api_as):
    report = center_report(world)
    period = report.period_label
    before = api_as("subbranch1_service").get("/api/v1/operating-reports/centers/", {"period": period}).json()
    row = next(r for r in before["results"] if r["id"] == world.c1.pk)
    assert row["status"] == "missing" and row["report"] is None  # a draft stays the center's own
    submission_submit(actor=world.head_c1, report=report)
    after = api_as("hq_service").get("/api/v1/operating-reports/centers/", {"period": period}).json()
    rows = {r["id"]: r for r in after["results"]}
    assert rows[world.c1.pk]["submitted"] and rows[world.c1.pk]["report"] == report.pk
    assert not rows[world.c2.pk]["submitted"]
    listing = api_as("subbranch1_service").get("/api/v1/operating-reports/", {"period": period}).json()
    assert [r["id"] for r in listing["results"]] == [report.pk]


@pytest.mark.parametrize("params, field", [({"kind": "cm_monthly"}, "kind"), ({"period": "2026Q9"}, "period"),
                                           ({"period": "2999-01"}, "period")])
def test_bad_parameters_are_named(world, api_as, params, field):
    resp = api_as("hq_service").get("/api/v1/operating-reports/centers/", params)
    assert resp.status_code == 400 and field in resp.json()


def test_roles_and_scope(world, api_as):
    report = center_report(world)
    assert api_as("cm_c1_1").get("/api/v1/operating-reports/").status_code == 403
    assert api_as("teller_c1").get("/api/v1/operating-reports/centers/").status_code == 403
    assert api_as("head_c2").get(f"/api/v1/operating-reports/{report.pk}/").status_code == 404
    assert api_as("head_c1").get(f"/api/v1/operating-reports/{report.pk}/").status_code == 200
