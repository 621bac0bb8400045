"""The pages of R36: the analysis with its figures and masked lists, the narrative (saved, versioned, bad input
refused with its message), the period messages, the Excel export, fixed query counts."""
import pytest

from wealthdesk.analyses.models import AnalysisNarrative
from wealthdesk.core.models import AuditLog
from wealthdesk.core.testing.exports import download, sheet, xlsx_text

pytestmark = pytest.mark.django_db


def url(kind, world, fx, **extra):
    query = "&".join(f"{k}={v}" for k, v in {"unit": world.c1.pk, "period": fx.period.label, **extra}.items())
    return f"/analyses/{kind}/?{query}"


def test_the_risk_page_lists_mismatches_masked_with_links(login_as, world, fx):
    response = login_as("head_c1").get(url("risk", world, fx))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="table-mismatches"' in body and "测试客户x5" not in body
    assert f'/customers/{fx.customers["x5"].pk}/' in body
    assert 'data-chart="chart-customers"' in body and 'id="chart-customers"' in body  # chart option as JSON


def test_every_analysis_renders_for_head_office(login_as, world, fx):
    client = login_as("hq_service")
    for kind in ("contribution", "products", "channels", "investment", "groups", "risk"):
        response = client.get(f"/analyses/{kind}/?period={fx.period.label}")
        assert response.status_code == 200, kind
        assert 'data-testid="figures"' in response.content.decode(), kind


def test_the_overview_links_each_analysis_and_the_child_units(login_as, world, fx):
    body = login_as("branch1_service").get(f"/analyses/?period={fx.period.label}").content.decode()
    for kind in ("contribution", "products", "channels", "investment", "groups", "risk"):
        assert f"/analyses/{kind}/?unit={world.branch1.pk}&period={fx.period.label}" in body
    assert f"?unit={world.sub1.pk}&period={fx.period.label}" in body


def test_the_head_writes_and_rewrites_the_narrative(login_as, world, fx):
    client = login_as("head_c1")
    response = client.post(url("risk", world, fx), {"body": "三笔不匹配持仓已安排回访。"})
    assert response.status_code == 302
    note = AnalysisNarrative.objects.get()
    assert (note.kind, note.unit, note.period_start, note.version) == ("risk", world.c1, fx.period.start, 1)
    response = client.post(url("risk", world, fx), {"body": "已回访两户。", "version": "1"})
    note.refresh_from_db()
    assert response.status_code == 302 and note.body == "已回访两户。" and note.version == 2
    assert AuditLog.objects.filter(object_type="analyses.analysisnarrative").count() == 2
    body = login_as("subbranch1_service").get(url("risk", world, fx)).content.decode()
    assert "已回访两户。" in body and 'data-testid="narrative-form"' not in body  # read-only above


def test_a_stale_narrative_is_refused_with_409_and_changes_nothing(login_as, world, fx):
    client = login_as("head_c1")
    client.post(url("groups", world, fx), {"body": "第一版"})
    client.post(url("groups", world, fx), {"body": "第二版", "version": "1"})
    response = client.post(url("groups", world, fx), {"body": "基于第一版的修改", "version": "1"})
    assert response.status_code == 409 and "已被他人修改" in response.content.decode()
    assert AnalysisNarrative.objects.get().body == "第二版"


@pytest.mark.parametrize("payload, message", [
    ({"body": ""}, "分析意见不能为空"),
    ({"body": "   "}, "分析意见不能为空"),
    ({"body": "x" * 4001}, "分析意见"),
    ({"body": "含有\x00控制字符"}, "分析意见"),
    ({"body": "好", "version": "abc"}, ""),
])
def test_bad_narrative_input_shows_its_message_and_saves_nothing(login_as, world, fx, payload, message):
    response = login_as("head_c1").post(url("channels", world, fx), payload)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AnalysisNarrative.objects.exists()


@pytest.mark.parametrize("period, message", [
    ("2099H1", "尚未开始"), ("1999H1", "早于系统数据的起始日期"), ("2026H9", "分析期间格式不正确"), ("<b>x", "格式不正确")])
def test_a_bad_period_shows_the_reason(login_as, world, fx, period, message):
    client = login_as("head_c1")
    for path in (f"/analyses/risk/?period={period}", f"/analyses/?period={period}",
                 f"/analyses/risk/export/?period={period}"):
        response = client.get(path)
        assert response.status_code == 400, path
        assert message in response.content.decode(), path
    assert client.post(f"/analyses/risk/?period={period}", {"body": "x"}).status_code == 400
    assert not AnalysisNarrative.objects.exists()


def test_no_data_shows_an_empty_state_that_says_why(login_as, world):
    body = login_as("head_c2").get("/analyses/channels/").content.decode()
    assert 'data-testid="empty-state"' in body and "没有交易流水" in body


def test_the_export_has_the_tables_masked_and_is_audited(login_as, world, fx):
    client = login_as("head_c1")
    client.post(url("risk", world, fx), {"body": "=HYPERLINK(\"x\") 已安排回访"})
    response = client.get(url("risk", world, fx).replace("/risk/", "/risk/export/"))
    assert response.status_code == 200
    ws = sheet(response)
    assert ws.cell(row=1, column=1).value == "《客户风险分析》"
    text = xlsx_text(download(client.get(url("risk", world, fx).replace("/risk/", "/risk/export/"))))
    assert "风险不匹配清单（待跟进）" in text and "产品P_R3" in text
    assert "测试客户x5" not in text and "已安排回访" in text
    row = AuditLog.objects.filter(action="export").latest("id")
    assert row.detail["kind"] == "risk" and row.detail["rows"] > 10 and row.unit_id == world.c1.pk


def test_the_analysis_page_runs_a_fixed_number_of_queries(login_as, world, fx):
    """The first opening computes the analysis (a job, inline here) and stores it; every later opening reads the
    stored figures: the same small number of queries whatever the analysis and however many customers."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wealthdesk.customers.models import Customer

    client = login_as("head_c1")
    counts = {}
    for kind in ("contribution", "products", "channels", "investment", "groups", "risk"):
        assert client.get(url(kind, world, fx)).status_code == 200  # computes and stores
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url(kind, world, fx)).status_code == 200
        counts[kind] = len(ctx)
    for i in range(30):
        Customer.objects.create(cif_no=f"MORE{i}", name=f"新客户{i}", id_type="passport", id_number=f"M{i:07d}",
                                center=world.c1, client_manager=world.cm_c1_1)
    client.post(f"/analyses/risk/recompute/?unit={world.c1.pk}&period={fx.period.label}")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url("risk", world, fx)).status_code == 200
    assert len(ctx) == counts["risk"], counts
    assert len(set(counts.values())) == 1 and counts["risk"] <= 20, counts
