"""Exports under control (issue 15; GB/T 35273 §7.1; JR/T 0171): threshold edges, the approver rule, self-approval
refused, wrong approver 403, one download within the window, outsiders 404, masking kept, every step audited."""
import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wealthdesk.core.audit import AuditAction
from wealthdesk.core.models import AuditLog, Notification
from wealthdesk.core.params import set_param
from wealthdesk.core.testing.exports import download, xlsx_text
from wealthdesk.exportcontrol import rules, selectors, services
from wealthdesk.exportcontrol.choices import RequestStatus
from wealthdesk.exportcontrol.models import ExportRequest

from .factories import EXPORT_URL, contacts, make_request

pytestmark = pytest.mark.django_db


# --- the threshold ----------------------------------------------------------------------------------------
def test_fifty_rows_stream_as_today(world, login_as):
    contacts(world, 50)
    response = login_as("cm_c1_1").get(EXPORT_URL)
    assert response.status_code == 200 and response["X-Export-Rows"] == "50"
    assert ExportRequest.objects.count() == 0


def test_fifty_one_rows_lead_to_the_request_form(world, login_as):
    contacts(world, 51)
    client = login_as("cm_c1_1")
    response = client.get(EXPORT_URL + "?kind=phone")
    assert response.status_code == 302 and response["Location"].startswith("/exportcontrol/new/?url=")
    assert not AuditLog.objects.filter(action=AuditAction.EXPORT).exists()
    denied = AuditLog.objects.get(action=AuditAction.DENIED)
    assert denied.detail["rows"] == 51 and denied.detail["reason"] == "needs_approval"
    page = client.get(response["Location"])
    text = page.content.decode()
    assert page.status_code == 200 and "须经审批" in text and 'data-testid="rows">51<' in text
    assert 'value="/contacts/export/?kind=phone"' in text


def test_the_threshold_is_a_parameter(world, login_as):
    contacts(world, 3)
    set_param("export.approval_rows", 2)
    assert login_as("cm_c1_1").get(EXPORT_URL).status_code == 302


def test_figures_only_exports_stay_free(world, login_as):
    set_param("export.approval_rows", 0)
    response = login_as("head_c1").get("/compliance/?format=xlsx")
    assert response.status_code in (200, 404, 403) and response.status_code != 302


# --- asking ----------------------------------------------------------------------------------------------
def test_request_records_who_what_why_and_notifies_the_head(world, rf_request, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        req = make_request(world, rf_request)
    assert (req.requester, req.unit, req.rows, req.title) == (world.cm_c1_1, world.c1, 51, "会面/电话/邮寄客户维护记录表")
    assert req.status == RequestStatus.PENDING and req.reason == "季度到期客户集中回访"
    assert AuditLog.objects.filter(action=AuditAction.CREATE, object_type="exportcontrol.exportrequest").exists()
    assert Notification.objects.filter(recipient=world.head_c1).count() == 1


@pytest.mark.parametrize("reason, message", [("", "导出理由：必填。"), ("   ", "导出理由：必填。"),
                                             ("长" * 501, "导出理由：最多 500 个字。")])
def test_reason_is_required(world, rf_request, reason, message):
    with pytest.raises(ValidationError) as exc:
        make_request(world, rf_request, reason=reason)
    assert message in exc.value.messages and ExportRequest.objects.count() == 0


@pytest.mark.parametrize("url, message", [
    ("https://evil.example/contacts/export/", "必须是本系统的导出页面地址"),
    ("//evil.example/x", "必须是本系统的导出页面地址"),
    ("/no/such/page/", "必须是本系统的导出页面地址"),
    ("/contacts/", "不是导出文件"),
    ("/exportcontrol/", "必须是本系统的导出页面地址"),
])
def test_bad_urls_are_refused(world, rf_request, url, message):
    contacts(world, 51)
    with pytest.raises(ValidationError) as exc:
        services.request_export(rf_request(world.cm_c1_1), actor=world.cm_c1_1, url=url, reason="理由")
    assert any(message in m for m in exc.value.messages)


def test_a_small_export_needs_no_request(world, rf_request):
    with pytest.raises(ValidationError) as exc:
        make_request(world, rf_request, n=50)
    assert "无需审批" in exc.value.messages[0]


# --- the approver rule -----------------------------------------------------------------------------------
def test_approver_rule(world, rf_request):
    req = make_request(world, rf_request)
    assert list(rules.approvers_of(req)) == [world.head_c1]
    assert rules.may_decide(world.head_c1, req) and not rules.may_decide(world.lead_c1, req)
    assert not rules.may_decide(world.subbranch1_service, req) and not rules.may_decide(world.head_c2, req)
    head_req = ExportRequest(requester=world.head_c1, unit=world.c1, title="t", url=EXPORT_URL, rows=60, reason="r")
    assert list(rules.approvers_of(head_req)) == [world.subbranch1_service]
    assert not rules.may_decide(world.head_c1, head_req)
    hq_req = ExportRequest(requester=world.hq_service, unit=world.hq, title="t", url=EXPORT_URL, rows=60, reason="r")
    assert list(rules.approvers_of(hq_req)) == []  # the only hq_service is the requester: no self-approval


def test_inbox_is_the_inverse_of_the_rule(world, rf_request):
    req = make_request(world, rf_request)
    assert list(selectors.inbox(world.head_c1)) == [req]
    for name in ("subbranch1_service", "head_c2", "hq_service", "cm_c1_1", "lead_c1"):
        assert list(selectors.inbox(world.users[name])) == [], name
    head_req = ExportRequest.objects.create(requester=world.head_c1, unit=world.c1, title="t", url=EXPORT_URL,
                                            rows=60, reason="r")
    assert list(selectors.inbox(world.subbranch1_service)) == [head_req]
    assert list(selectors.inbox(world.head_c1)) == [req]


# --- deciding --------------------------------------------------------------------------------------------
def test_self_approval_is_refused_and_audited(world, rf_request):
    req = ExportRequest.objects.create(requester=world.head_c1, unit=world.c1, title="t", url=EXPORT_URL, rows=60,
                                       reason="r")
    with pytest.raises(PermissionDenied, match="不能审批本人"):
        services.decide(actor=world.head_c1, req=req, approve=True)
    req.refresh_from_db()
    assert req.status == RequestStatus.PENDING
    assert AuditLog.objects.get(action=AuditAction.DENIED).detail["reason"] == "self_approval"


def test_wrong_approver_is_403(world, rf_request, login_as, api_as):
    req = make_request(world, rf_request)
    assert login_as("subbranch1_service").post(f"/exportcontrol/{req.pk}/approve/").status_code == 403
    assert api_as("lead_c1").post(f"/api/v1/export-requests/{req.pk}/approve/", {}, format="json").status_code == 403
    assert login_as("cm_c1_1").post(f"/exportcontrol/{req.pk}/approve/").status_code == 403
    req.refresh_from_db()
    assert req.status == RequestStatus.PENDING


def test_refusal_needs_a_comment(world, rf_request, django_capture_on_commit_callbacks):
    req = make_request(world, rf_request)
    with pytest.raises(ValidationError, match="审批意见：必填"):
        services.decide(actor=world.head_c1, req=req, approve=False, comment=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(actor=world.head_c1, req=req, approve=False, comment="范围过大，请按客户级别筛选")
    req.refresh_from_db()
    assert req.status == RequestStatus.REFUSED and req.decided_by == world.head_c1
    assert Notification.objects.filter(recipient=world.cm_c1_1, text__contains="未获批准").exists()
    with pytest.raises(ValidationError, match="已处理"):
        services.decide(actor=world.head_c1, req=req, approve=True)


# --- downloading -----------------------------------------------------------------------------------------
def _approved(world, rf_request, **kw):
    req = make_request(world, rf_request, **kw)
    services.decide(actor=world.head_c1, req=req, approve=True, comment="同意")
    req.refresh_from_db()
    return req


def test_download_once_masked_and_traceable(world, rf_request, login_as):
    req = _approved(world, rf_request)
    assert req.download_until - req.decided_at == dt.timedelta(hours=24)
    client = login_as("cm_c1_1")
    response = client.post(f"/exportcontrol/{req.pk}/download/")
    assert response.status_code == 200 and response["X-Export-Rows"] == "51"
    content = download(response)
    text = xlsx_text(content)
    assert "13812341234" not in text and "138****1234" in text  # masking still applied
    wb = openpyxl.load_workbook(io.BytesIO(content))
    req.refresh_from_db()
    assert req.status == RequestStatus.DOWNLOADED and wb.properties.identifier == req.export_id
    row = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert row.detail["approval"] == req.pk and row.detail["export_id"] == req.export_id
    again = client.post(f"/exportcontrol/{req.pk}/download/")
    assert again.status_code == 410 and "已下载过一次" in again.content.decode()
    assert AuditLog.objects.filter(action=AuditAction.EXPORT).count() == 1
    assert AuditLog.objects.filter(action=AuditAction.DENIED, detail__reason="download").exists()


def test_download_after_the_window_is_410(world, rf_request, login_as):
    req = _approved(world, rf_request)
    ExportRequest.objects.filter(pk=req.pk).update(download_until=timezone.now() - dt.timedelta(seconds=1))
    response = login_as("cm_c1_1").post(f"/exportcontrol/{req.pk}/download/")
    assert response.status_code == 410 and "已超过下载时限" in response.content.decode()
    req.refresh_from_db()
    assert req.downloaded_at is None


def test_download_window_is_a_parameter(world, rf_request):
    set_param("export.download_hours", 2)
    req = _approved(world, rf_request)
    assert req.download_until - req.decided_at == dt.timedelta(hours=2)


def test_only_the_requester_downloads(world, rf_request, login_as):
    req = _approved(world, rf_request)
    response = login_as("head_c1").post(f"/exportcontrol/{req.pk}/download/")
    assert response.status_code == 403 and "只有申请人本人" in response.content.decode()


def test_pending_request_cannot_be_downloaded(world, rf_request, login_as):
    req = make_request(world, rf_request)
    assert login_as("cm_c1_1").post(f"/exportcontrol/{req.pk}/download/").status_code == 403


# --- outsiders ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["cm_c2_1", "head_c2", "cm_c1_2", "teller_c1"])
def test_outsiders_get_404(world, rf_request, login_as, api_as, who):
    req = _approved(world, rf_request)
    client = login_as(who)
    for path in (f"/exportcontrol/{req.pk}/", f"/exportcontrol/{req.pk}/approve/",
                 f"/exportcontrol/{req.pk}/download/"):
        method = client.get if path.endswith(f"{req.pk}/") else client.post
        assert method(path).status_code == 404, path
    api = api_as(who)
    assert api.get(f"/api/v1/export-requests/{req.pk}/").status_code == 404
    assert api.post(f"/api/v1/export-requests/{req.pk}/download/").status_code == 404
    assert api.get("/api/v1/export-requests/").json()["count"] == 0


def test_inbox_page_is_for_approvers_only(world, login_as):
    assert login_as("cm_c1_1").get("/exportcontrol/inbox/").status_code == 403
    assert login_as("head_c1").get("/exportcontrol/inbox/").status_code == 200


# --- API ---------------------------------------------------------------------------------------------------
def test_api_create_approve_download(world, api_as):
    contacts(world, 51)
    cm, head = api_as("cm_c1_1"), api_as("head_c1")
    bad = cm.post("/api/v1/export-requests/", {"url": EXPORT_URL, "reason": ""}, format="json")
    assert bad.status_code == 400 and "导出理由：必填。" in str(bad.json())
    created = cm.post("/api/v1/export-requests/", {"url": EXPORT_URL, "reason": "回访"}, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert head.get("/api/v1/export-requests/?box=inbox").json()["count"] == 1
    assert cm.post(f"/api/v1/export-requests/{pk}/download/").status_code == 403
    approved = head.post(f"/api/v1/export-requests/{pk}/approve/", {"comment": "同意"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert head.post(f"/api/v1/export-requests/{pk}/refuse/", {"comment": "x"}, format="json").status_code == 400
    first = cm.post(f"/api/v1/export-requests/{pk}/download/")
    assert first.status_code == 200 and len(download(first)) > 0
    second = cm.post(f"/api/v1/export-requests/{pk}/download/")
    assert second.status_code == 410 and "已下载过一次" in second.json()["detail"]


def test_api_bad_box(world, api_as):
    assert api_as("cm_c1_1").get("/api/v1/export-requests/?box=x").status_code == 400


def test_list_pages_have_fixed_query_counts(world, rf_request, login_as, django_assert_max_num_queries):
    make_request(world, rf_request)
    for _i in range(5):
        ExportRequest.objects.create(requester=world.cm_c1_1, unit=world.c1, title="t", url=EXPORT_URL, rows=60,
                                     reason="r")
    client = login_as("head_c1")
    with django_assert_max_num_queries(20):
        assert client.get("/exportcontrol/inbox/").status_code == 200
    client = login_as("cm_c1_1")
    with django_assert_max_num_queries(20):
        assert client.get("/exportcontrol/").status_code == 200


def test_a_mobile_typed_in_the_filters_is_masked_on_the_pages_and_in_the_api(world, login_as, api_as):
    contacts(world, 51)
    from django.test import RequestFactory

    from wealthdesk.exportcontrol import services as svc

    request = RequestFactory().get("/")
    request.user = world.cm_c1_1
    req = svc.request_export(request, actor=world.cm_c1_1, url=EXPORT_URL + "?q=13812341234", reason="回访")
    assert "13812341234" in req.url  # kept to replay the export
    page = login_as("head_c1").get(f"/exportcontrol/{req.pk}/").content.decode()
    assert "13812341234" not in page and "138****1234" in page
    body = api_as("head_c1").get(f"/api/v1/export-requests/{req.pk}/").content.decode()
    assert "13812341234" not in body
