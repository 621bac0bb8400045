"""Complaint pages read like the handbook: recording with bad input, masking in lists, handling on the detail page,
the Excel 《投诉记录表》, and the panels that flag overdue complaints to the owner and the head (R30, R32)."""
import datetime as dt
import io

import openpyxl
import pytest

from wealthdesk.complaints.choices import Status
from wealthdesk.complaints.models import Complaint
from wealthdesk.core.models import AuditAction, AuditLog
from wealthdesk.core.testing.exports import download

from .helpers import c1_complaint, record

pytestmark = pytest.mark.django_db


def post_new(client, **data):
    payload = {"channel": "counter", "category": "attitude", "content": "柜员态度生硬"}
    payload.update(data)
    return client.post("/complaints/new/", payload)


def test_lobby_manager_records_a_complaint_by_the_customers_exact_mobile(login_as, world):
    client = login_as("lobby_c1")
    response = post_new(client, customer_mobile="13812341234")
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/complaints/{complaint.pk}/"
    assert complaint.customer == world.cust_a and complaint.owner == world.head_c1
    assert complaint.center == world.c1 and complaint.receiver == world.lobby_c1


def test_a_customer_of_another_center_cannot_be_named_by_id_number(login_as, world):
    client = login_as("lobby_c1")
    response = post_new(client, customer_id_number=world.cust_b.id_number)
    assert response.status_code == 200
    assert "本机构没有与之完全匹配的客户" in response.content.decode()
    assert Complaint.objects.count() == 0


def test_empty_content_names_the_field_and_saves_nothing(login_as, world):
    response = post_new(login_as("teller_c1"), content="")
    assert 'data-error="content"' in response.content.decode()
    assert Complaint.objects.count() == 0


def test_a_future_acceptance_date_is_refused(login_as, world):
    response = post_new(login_as("lobby_c1"), received_on="2099-01-01")
    assert "受理日期不能晚于今天" in response.content.decode()
    assert Complaint.objects.count() == 0


def test_list_masks_the_complainant_name_and_contact(login_as, world):
    c1_complaint(world)
    record(world, complainant_name="欧阳娜娜", complainant_contact="13911112222")
    body = login_as("lobby_c1").get("/complaints/").content.decode()
    assert "张*" in body and "欧阳**" in body and "139****2222" in body
    assert "张伟" not in body and "13911112222" not in body and "13812341234" not in body


def test_list_page_queries_do_not_grow_with_rows(login_as, world, django_assert_max_num_queries):
    client = login_as("head_c1")
    record(world)
    with django_assert_max_num_queries(12):
        assert client.get("/complaints/").status_code == 200
    for _ in range(15):
        record(world, customer=world.cust_a)
    with django_assert_max_num_queries(12):
        assert client.get("/complaints/").status_code == 200


def test_detail_view_is_audited_and_masks_the_contact_even_for_the_head(login_as, world):
    complaint = c1_complaint(world)
    body = login_as("head_c1").get(f"/complaints/{complaint.pk}/").content.decode()
    assert "13812341234" not in body and "138****1234" in body and "张伟" in body  # R28: masked by default
    assert 'data-reveal="contact"' in body
    assert AuditLog.objects.filter(action=AuditAction.VIEW, object_id=str(complaint.pk), actor_name="head_c1").exists()
    body = login_as("lobby_c1").get(f"/complaints/{complaint.pk}/").content.decode()
    assert "13812341234" not in body and "138****1234" in body
    assert 'data-action="close"' not in body  # the receiver records, the owner handles


def test_closing_without_a_resolution_shows_the_reason_and_keeps_it_open(login_as, world):
    complaint = c1_complaint(world)
    response = login_as("head_c1").post(f"/complaints/{complaint.pk}/close/",
                                        {"close-resolution": "", "close-outcome": "resolved"})
    assert response.status_code == 400
    assert "办结投诉必须填写处理结果" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == Status.OPEN


def test_extension_beyond_thirty_days_shows_the_limit(login_as, world):
    complaint = c1_complaint(world)
    response = login_as("head_c1").post(f"/complaints/{complaint.pk}/extend/",
                                        {"extend-days": "45", "extend-reason": "案情复杂需核查"})
    assert response.status_code == 400 and "不能超过受理之日起 30 个工作日" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.extended_at is None


def test_head_extends_escalates_and_closes_on_the_detail_page(login_as, world):
    complaint = c1_complaint(world)
    client = login_as("head_c1")
    assert client.post(f"/complaints/{complaint.pk}/extend/",
                       {"extend-days": "30", "extend-reason": "需产品方核查"}).status_code == 302
    assert client.post(f"/complaints/{complaint.pk}/escalate/", {"escalate-reason": "涉及适当性"}).status_code == 302
    assert client.post(f"/complaints/{complaint.pk}/close/", {"close-resolution": "已退还手续费并致歉",
                       "close-outcome": "resolved", "close-satisfaction": "satisfied"}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED and complaint.is_extended and complaint.escalated_to == world.quality_b1
    assert complaint.logs.count() == 4


def test_list_export_is_the_handbook_form_with_masked_values_and_audited(login_as, world):
    c1_complaint(world)
    response = login_as("head_c1").get("/complaints/?format=xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(download(response))).active
    assert ws["A1"].value == "《投诉记录表》"
    assert [c.value for c in ws[4]][:6] == ["编号", "受理日期", "受理机构", "渠道", "类别", "投诉人"]
    assert ws["F5"].value == "张伟" and ws["G5"].value == "138****1234"  # the center head reads the name
    row = AuditLog.objects.get(action=AuditAction.EXPORT, object_type="complaints.complaint")
    assert row.detail["rows"] == 1
    ws = openpyxl.load_workbook(io.BytesIO(download(login_as("quality_b1").get("/complaints/?format=xlsx")))).active
    assert ws["F5"].value in (None, "张*")


def test_overdue_complaints_are_flagged_to_owner_and_head(rf, world):
    from wealthdesk.complaints import panels

    late = record(world, received_on=dt.date(2020, 3, 2))
    record(world)
    request = rf.get("/")
    request.user = world.head_c1
    ctx = panels.head_panel(request)
    assert (ctx["open"], ctx["overdue"], ctx["rows"]) == (2, 1, [late])
    assert panels.owner_panel(request)["overdue"] == 1
    request.user = world.quality_b1
    assert panels.subtree_panel(request)["overdue"] == 1
    request.user = world.cm_c1_2
    assert panels.owner_panel(request) is None


def test_customer_page_panel_lists_the_customers_complaints(rf, world):
    from wealthdesk.complaints import panels

    complaint = c1_complaint(world)
    request = rf.get("/")
    request.user, request.wd_customer = world.cm_c1_1, world.cust_a
    assert panels.customer_panel(request)["rows"] == [complaint]
    request.user = world.cm_c1_2
    assert panels.customer_panel(request)["rows"] == []


def test_metric_counts_complaints_by_receiver(world):
    from wealthdesk.core.registry import metric_values

    record(world)
    record(world, actor="teller_c1")
    record(world, actor="teller_c1")
    today = dt.date.today()
    got = metric_values("complaints_received", [world.lobby_c1.pk, world.teller_c1.pk, world.cm_c1_1.pk],
                        today - dt.timedelta(days=1), today + dt.timedelta(days=1))
    assert got == {world.lobby_c1.pk: 1, world.teller_c1.pk: 2}


def test_assigning_nobody_names_the_field(login_as, world):
    complaint = c1_complaint(world)
    response = login_as("head_c1").post(f"/complaints/{complaint.pk}/assign/", {"assign-owner": ""})
    assert response.status_code == 400 and 'data-error="owner"' in response.content.decode()


def test_customer_page_shows_the_complaints_panel(login_as, world):
    complaint = c1_complaint(world)
    body = login_as("cm_c1_1").get(f"/customers/{world.cust_a.pk}/").content.decode()
    assert 'data-panel="complaints.customer"' in body and complaint.number in body


def test_panels_are_registered_for_head_home_and_workbench(rf, world):
    from wealthdesk.core.registry import panels_for

    record(world, received_on=dt.date(2020, 3, 2), owner=world.supervisor_c1)
    request = rf.get("/")

    def keys(user, page):
        request.user = user
        return {p["key"] for p in panels_for(request, page)}

    assert "complaints.head" in keys(world.head_c1, "head")
    assert "complaints.subtree" in keys(world.quality_b1, "home")
    assert "complaints.mine_home" in keys(world.supervisor_c1, "home")
    assert "complaints.mine_home" not in keys(world.teller_c1, "home")  # owns none: hidden


def test_the_contact_is_revealed_on_request_with_a_reason_and_audited(login_as, world):
    complaint = c1_complaint(world)
    client = login_as("head_c1")
    assert client.post(f"/complaints/{complaint.pk}/reveal/", {"field": "contact", "reason": ""}).status_code == 400
    response = client.post(f"/complaints/{complaint.pk}/reveal/", {"field": "contact", "reason": "回电客户"})
    assert response.status_code == 200 and "13812341234" in response.content.decode()
    row = AuditLog.objects.get(action=AuditAction.REVEAL, object_id=str(complaint.pk))
    assert row.actor == world.head_c1 and row.detail == {"field": "contact", "reason": "回电客户"}


def test_only_the_owner_and_the_center_head_read_the_complainants_name_or_reveal_the_contact(login_as, world):
    complaint = c1_complaint(world)
    body = login_as("lobby_c1").get(f"/complaints/{complaint.pk}/").content.decode()
    assert "张伟" not in body and "张*" in body and 'data-reveal="contact"' not in body
    response = login_as("lobby_c1").post(f"/complaints/{complaint.pk}/reveal/", {"field": "contact", "reason": "看看"})
    assert response.status_code in (403, 404) and "13812341234" not in response.content.decode()
    assert not AuditLog.objects.filter(action=AuditAction.REVEAL).exists()
    assert complaint.shows_complainant_to(complaint.owner) and complaint.shows_complainant_to(world.head_c1)
    assert not complaint.shows_complainant_to(world.head_c2)
