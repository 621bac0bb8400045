"""Follow-through of an alert (R6, R7): follow up, close with a reason and measures, the head's review and
reopening; bad input names the field and saves nothing; lists filter and keep their query count; Excel export;
maturity reminders; panels."""
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wealthdesk.alerts import services
from wealthdesk.alerts.choices import AlertStatus, ReviewState
from wealthdesk.alerts.models import Alert, AlertRule
from wealthdesk.core.models import AuditAction, AuditLog
from wealthdesk.core.testing.exports import download
from wealthdesk.corebanking.models import Holding, Product

from .helpers import make_alert

pytestmark = pytest.mark.django_db


def test_client_manager_follows_up_then_closes_and_head_reviews(world):
    alert = make_alert(world.cust_a)
    services.alert_follow_up(actor=world.cm_c1_1, alert=alert, note="已电话联系客户")
    assert alert.status == AlertStatus.FOLLOWING
    services.alert_close(actor=world.cm_c1_1, alert=alert, reason="other_bank", measures="介绍我行高收益理财，客户表示考虑")
    alert.refresh_from_db()
    assert alert.status == AlertStatus.CLOSED and alert.review_state == ReviewState.PENDING
    assert alert.closed_by == world.cm_c1_1
    services.alert_review(actor=world.head_c1, alert=alert, comment="同意")
    alert.refresh_from_db()
    assert alert.review_state == ReviewState.APPROVED and alert.reviewed_by == world.head_c1
    assert [n.kind for n in alert.notes.all()] == ["follow_up", "close", "review"]
    assert AuditLog.objects.filter(action=AuditAction.CHANGE, object_id=str(alert.pk)).count() == 3


def test_head_reopens_a_closure_with_a_new_due_date(world):
    alert = make_alert(world.cust_a)
    services.alert_close(actor=world.cm_c1_1, alert=alert, reason="maturity", measures="到期转存")
    services.alert_reopen(actor=world.head_c1, alert=alert, reason="原因不充分，请再核实")
    alert.refresh_from_db()
    assert alert.status == AlertStatus.FOLLOWING and alert.reopen_count == 1 and alert.close_reason == ""
    assert alert.due_date > dt.date.today() - dt.timedelta(days=1)


def test_closing_needs_a_reason_from_the_list_and_the_measures(world):
    alert = make_alert(world.cust_a)
    with pytest.raises(ValidationError) as exc:
        services.alert_close(actor=world.cm_c1_1, alert=alert, reason="moon", measures="")
    assert set(exc.value.message_dict) == {"reason", "measures"}
    with pytest.raises(ValidationError) as exc:
        services.alert_close(actor=world.cm_c1_1, alert=alert, reason="other", measures="已联系")
    assert "其他" in exc.value.message_dict["reason_other"][0]
    alert.refresh_from_db()
    assert alert.status == AlertStatus.NEW


def test_client_manager_cannot_review_or_work_anothers_alert(world):
    alert = make_alert(world.cust_a)
    with pytest.raises(PermissionDenied):
        services.alert_follow_up(actor=world.cm_c1_2, alert=alert, note="越权")
    services.alert_close(actor=world.cm_c1_1, alert=alert, reason="business", measures="经营周转")
    with pytest.raises(PermissionDenied):
        services.alert_review(actor=world.cm_c1_1, alert=alert)
    with pytest.raises(PermissionDenied):
        services.alert_review(actor=world.head_c2, alert=alert)


def test_close_dialog_shows_the_reason_and_saves_nothing_on_bad_input(login_as, world):
    alert = make_alert(world.cust_a)
    client = login_as("cm_c1_1")
    response = client.post(f"/alerts/{alert.pk}/close/", {"reason": "other", "measures": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400  # swapped into the dialog by the htmx responseHandling
    assert 'data-error-for="measures"' in response.content.decode()
    assert "请填写采取的措施" in response.content.decode()
    response = client.post(f"/alerts/{alert.pk}/close/", {"reason": "other", "measures": "已联系客户"},
                           HTTP_HX_REQUEST="true")
    assert "原因选择“其他”时，请说明具体原因" in response.content.decode()
    assert Alert.objects.get(pk=alert.pk).status == AlertStatus.NEW


def test_close_dialog_success_redirects_htmx_to_the_detail(login_as, world):
    alert = make_alert(world.cust_a)
    client = login_as("cm_c1_1")
    response = client.post(f"/alerts/{alert.pk}/close/", {"reason": "large_purchase", "measures": "客户购房"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == f"/alerts/{alert.pk}/"
    assert Alert.objects.get(pk=alert.pk).status == AlertStatus.CLOSED


def test_api_close_rejects_unknown_fields_and_bad_reason(api_as, world):
    alert = make_alert(world.cust_a)
    client = api_as("cm_c1_1")
    response = client.post(f"/api/v1/alerts/{alert.pk}/close/", {"reason": "maturity", "measures": "到期",
                                                                 "status": "closed"}, format="json")
    assert response.status_code == 400 and "status" in response.json()
    response = client.post(f"/api/v1/alerts/{alert.pk}/close/", {"reason": "x", "measures": ""}, format="json")
    assert response.status_code == 400
    assert response.json()["reason"] == ["请从列表中选择资金变动原因。"]
    assert response.json()["measures"] == ["请填写采取的措施。"]
    response = client.post(f"/api/v1/alerts/{alert.pk}/close/", {"reason": "other", "measures": "已联系客户"},
                           format="json")
    assert response.status_code == 400 and "reason_other" in response.json()
    assert Alert.objects.get(pk=alert.pk).status == AlertStatus.NEW


def test_api_detail_carries_masked_evidence_and_is_audited(api_as, world):
    alert = make_alert(world.cust_a)
    data = api_as("head_c1").get(f"/api/v1/alerts/{alert.pk}/").json()
    assert data["id"] == alert.pk and data["evidence"][0]["amount"] == "600000.00"
    assert "6222020200112233445" not in str(data) and data["evidence"][0]["account_no"].endswith("3445")
    assert AuditLog.objects.filter(action=AuditAction.VIEW, object_id=str(alert.pk)).exists()


def test_api_follow_up_then_list_filters(api_as, world):
    alert = make_alert(world.cust_a)
    make_alert(world.cust_a2, kind="other_bank")
    client = api_as("cm_c1_1")
    assert client.post(f"/api/v1/alerts/{alert.pk}/follow-up/", {"note": "已约见"}, format="json").status_code == 200
    rows = client.get("/api/v1/alerts/").json()["results"]
    assert [r["id"] for r in rows] == [alert.pk]  # cm_c1_1 sees only own
    head = api_as("head_c1")
    assert head.get("/api/v1/alerts/", {"status": "following"}).json()["count"] == 1
    assert head.get("/api/v1/alerts/", {"kind": "other_bank"}).json()["count"] == 1


def test_api_rule_update_validates_share(api_as, world):
    make_alert(world.cust_a)
    rule = AlertRule.objects.get(code="cumulative-outflow")
    response = api_as("hq_service").patch(f"/api/v1/alert-rules/{rule.pk}/", {"share": "1.5"}, format="json")
    assert response.status_code == 400 and "share" in response.json()
    response = api_as("hq_service").patch(f"/api/v1/alert-rules/{rule.pk}/", {"kind": "x"}, format="json")
    assert response.status_code == 400 and "kind" in response.json()
    rule.refresh_from_db()
    assert rule.share == Decimal("0.3000")


def test_rule_form_names_the_bad_field(login_as, world):
    make_alert(world.cust_a)
    rule = AlertRule.objects.get(code="single-outflow-core")
    response = login_as("hq_service").post(f"/alerts/rules/{rule.pk}/edit/", {"name": rule.name, "min_amount": "abc"})
    assert response.status_code == 200 and "金额门槛必须是数字" in response.content.decode()
    response = login_as("hq_service").post(f"/alerts/rules/{rule.pk}/edit/",
                                           {"name": rule.name, "min_amount": "300000", "is_active": "on"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.min_amount == Decimal("300000")


def _many_alerts(world, n):
    from wealthdesk.customers.models import Customer

    for i in range(n):
        c = Customer.objects.create(cif_no=f"X{i:05d}", name=f"客户{i}", id_type="passport", id_number=f"P{i:07d}",
                                    center=world.c1, client_manager=world.cm_c1_1, tier="core")
        make_alert(c, day=dt.date(2026, 11, 1))


@pytest.mark.parametrize("n", [1, 30])
def test_alert_lists_keep_a_fixed_query_count(login_as, world, django_assert_max_num_queries, n):
    _many_alerts(world, n)
    for name, url in (("cm_c1_1", "/alerts/mine/?status=open"), ("head_c1", "/alerts/?overdue=1")):
        client = login_as(name)
        with django_assert_max_num_queries(15):  # 15: includes the list-view audit row
            response = client.get(url)
        assert response.status_code == 200
        assert "逾期" in response.content.decode()


def test_center_list_filters_by_manager_and_marks_overdue(login_as, world):
    make_alert(world.cust_a, day=dt.date(2026, 1, 5))
    make_alert(world.cust_a2)
    client = login_as("head_c1")
    body = client.get("/alerts/", {"manager": world.cm_c1_2.pk}).content.decode()
    assert "李娜" in body and "张伟" not in body
    body = client.get("/alerts/", {"overdue": "1"}).content.decode()
    assert "张伟" in body and "data-overdue" in body


def test_export_is_a_masked_handbook_sheet_and_audited(login_as, world):
    make_alert(world.cust_a)
    response = login_as("head_c1").get("/alerts/export/")
    ws = openpyxl.load_workbook(io.BytesIO(download(response))).active
    assert ws["A1"].value == "《大额资金异动及客户降级预警跟进表》"
    assert ws["A4"].value == "编号" and ws["E5"].value == "张伟"  # the head reads names in full, as on the page
    row = AuditLog.objects.get(action=AuditAction.EXPORT, object_type="alerts.alert")
    assert row.detail["rows"] == 1 and len(row.detail["sha256"]) == 64


def test_detail_page_shows_the_evidence_masked(login_as, world):
    alert = make_alert(world.cust_a)
    body = login_as("cm_c1_1").get(f"/alerts/{alert.pk}/").content.decode()
    assert "600,000.00" in body and "他行" in body and "6222020200112233445" not in body


def _holding(customer, maturity, code="WMP1", amount="300000"):
    product, _ = Product.objects.get_or_create(code=code, defaults={"name": "稳利90天", "kind": "wmp",
                                                                    "risk_level": "R2", "term_days": 90})
    return Holding.objects.create(customer=customer, product=product, account_no=f"62220{customer.pk:014d}",
                                  amount=Decimal(amount), start_date=maturity - dt.timedelta(days=90),
                                  maturity_date=maturity)


def test_maturity_reminders_cover_the_window_for_the_responsible_manager(api_as, login_as, world):
    today = dt.date.today()
    inside = _holding(world.cust_a, today + dt.timedelta(days=30))
    _holding(world.cust_a, today + dt.timedelta(days=31), code="WMP2")
    _holding(world.cust_a2, today + dt.timedelta(days=3), code="WMP3")
    rows = api_as("cm_c1_1").get("/api/v1/maturities/").json()["results"]
    assert [r["id"] for r in rows] == [inside.pk] and rows[0]["account_no"] != inside.account_no
    assert api_as("head_c1").get("/api/v1/maturities/").json()["count"] == 2
    assert api_as("cm_c1_1").get("/api/v1/maturities/", {"days": "x"}).status_code == 400
    assert api_as("cm_c1_1").get(f"/api/v1/maturities/{inside.pk}/").status_code == 200
    assert api_as("cm_c2_1").get(f"/api/v1/maturities/{inside.pk}/").status_code == 404
    body = login_as("cm_c1_1").get("/alerts/maturities/").content.decode()
    assert "稳利90天" in body and "300,000.00" in body


def test_panels_count_my_alerts_and_the_heads_reviews(rf, world):
    from wealthdesk.alerts import panels

    alert = make_alert(world.cust_a, day=dt.date(2026, 1, 5))
    request = rf.get("/")
    request.user = world.cm_c1_1
    assert panels.my_alerts_panel(request)["counts"]["overdue"] == 1
    services.alert_close(actor=world.cm_c1_1, alert=alert, reason="maturity", measures="到期转存")
    request.user = world.head_c1
    assert panels.head_review_panel(request)["count"] == 1
    request.user = world.branch1_service
    rows = panels.subtree_alerts_panel(request)["rows"]
    assert sum(r["figures"].get("open", 0) for r in rows) == 0
    request.user = world.cm_c1_1
    request.wd_customer = world.cust_a
    assert len(panels.customer_alerts_panel(request)["items"]) == 1
