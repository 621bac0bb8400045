"""Recording contacts (R27) and appointments: the quick-add dialog, bad input refused with a clear message and
nothing saved, the customer-page timeline, the Excel form, and fixed query counts on the list pages."""
import datetime as dt
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from wealthdesk.contacts import services
from wealthdesk.contacts.choices import AppointmentStatus
from wealthdesk.contacts.models import Appointment, ContactRecord
from wealthdesk.core.models import AuditAction, AuditLog
from wealthdesk.core.testing.exports import download
from wealthdesk.customers.choices import Tier
from wealthdesk.customers.models import Customer

from .factories import make_contact

pytestmark = pytest.mark.django_db


def now_local():
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def test_contact_create_is_audited_and_keeps_the_source(world):
    record = services.contact_create(actor=world.cm_c1_1, customer=world.cust_a, kind="phone",
                                     contacted_at=timezone.now(), purpose="到期提醒", source="referral:12")
    assert record.staff == world.cm_c1_1 and record.source == "referral:12"
    assert AuditLog.objects.filter(action=AuditAction.CREATE, customer_id=world.cust_a.pk).exists()


def test_contact_for_a_customer_outside_ones_scope_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.contact_create(actor=world.cm_c1_1, customer=world.cust_b, kind="phone", contacted_at=timezone.now())
    assert "客户不在您的管辖范围内" in exc.value.message_dict["customer"][0]
    assert ContactRecord.objects.count() == 0


def test_next_contact_date_in_the_past_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.contact_create(actor=world.cm_c1_1, customer=world.cust_a, kind="meeting",
                                contacted_at=timezone.now(),
                                next_contact_on=timezone.localdate() - dt.timedelta(days=1))
    assert exc.value.message_dict["next_contact_on"] == ["下次联系日期不能早于今天。"]
    assert ContactRecord.objects.count() == 0


def test_quick_add_dialog_shows_the_field_and_reason_and_saves_nothing(login_as, world):
    client = login_as("cm_c1_1")
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.post(f"/contacts/new/?customer={world.cust_a.pk}",
                           {"customer": world.cust_a.pk, "kind": "phone", "contacted_at": now_local(),
                            "next_contact_on": yesterday}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "下次联系日期：下次联系日期不能早于今天。" in response.content.decode()
    assert ContactRecord.objects.count() == 0


def test_quick_add_dialog_closes_and_tells_the_page(login_as, world):
    client = login_as("cm_c1_1")
    response = client.post(f"/contacts/new/?customer={world.cust_a.pk}",
                           {"customer": world.cust_a.pk, "kind": "mail", "contacted_at": now_local(),
                            "purpose": "寄送对账单"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    events = json.loads(response["HX-Trigger"])
    assert "wd:close-modal" in events and "contacts:changed" in events
    assert events["wd:toast"] == {"message": "联系记录已保存。", "level": "success"}  # the user sees a confirmation
    assert ContactRecord.objects.get().purpose == "寄送对账单"


def test_api_rejects_out_of_scope_customer_and_unknown_fields(api_as, world):
    api = api_as("cm_c1_1")
    response = api.post("/api/v1/contacts/", {"customer": world.cust_b.pk, "kind": "phone",
                                              "contacted_at": timezone.now().isoformat()}, format="json")
    assert response.status_code == 400 and "customer" in response.json()
    response = api.post("/api/v1/contacts/", {"customer": world.cust_a.pk, "kind": "phone", "staff": 1,
                                              "contacted_at": timezone.now().isoformat(), "colour": "red"},
                        format="json")
    assert response.status_code == 400 and set(response.json()) == {"staff", "colour"}
    assert ContactRecord.objects.count() == 0


def test_api_list_is_paginated_and_rows_carry_an_id(api_as, world):
    make_contact(world.cust_a, world.cm_c1_1, timezone.localdate())
    make_contact(world.cust_b, world.cm_c2_1, timezone.localdate())
    body = api_as("cm_c1_1").get("/api/v1/contacts/").json()
    assert body["count"] == 1 and body["results"][0]["id"]


def test_customer_page_shows_the_contact_timeline_and_quick_add(login_as, world):
    make_contact(world.cust_a, world.cm_c1_1, timezone.localdate(), purpose="理财到期沟通")
    html = login_as("cm_c1_1").get(f"/customers/{world.cust_a.pk}/").content.decode()
    assert 'data-testid="contact-timeline"' in html and "理财到期沟通" in html
    assert 'data-testid="quick-add-contact"' in html


def test_completing_an_appointment_creates_and_links_the_contact(login_as, world):
    appt = Appointment.objects.create(customer=world.cust_a, staff=world.cm_c1_1, kind="meeting",
                                      planned_at=timezone.now() - dt.timedelta(hours=1), purpose="面谈资产配置")
    client = login_as("cm_c1_1")
    form = client.get(f"/contacts/appointments/{appt.pk}/done/", HTTP_HX_REQUEST="true").content.decode()
    assert "面谈资产配置" in form  # pre-filled from the appointment
    response = client.post(f"/contacts/appointments/{appt.pk}/done/",
                           {"customer": world.cust_a.pk, "kind": "meeting", "contacted_at": now_local(),
                            "purpose": "面谈资产配置", "response": "有意向"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    appt.refresh_from_db()
    assert appt.status == AppointmentStatus.DONE and appt.contact.response == "有意向"
    assert appt.contact.source == f"appointment:{appt.pk}"


def test_appointment_in_the_past_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.appointment_create(actor=world.cm_c1_1, customer=world.cust_a, kind="phone",
                                    planned_at=timezone.now() - dt.timedelta(days=1))
    assert "planned_at" in exc.value.message_dict and Appointment.objects.count() == 0


def test_week_view_moves_between_weeks_with_htmx(login_as, world):
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    Appointment.objects.create(customer=world.cust_a, staff=world.cm_c1_1, kind="phone", purpose="下周电话",
                               planned_at=timezone.make_aware(dt.datetime.combine(monday + dt.timedelta(days=8),
                                                                                  dt.time(10))))
    client = login_as("cm_c1_1")
    this_week = client.get("/contacts/appointments/").content.decode()
    assert "下周电话" not in this_week
    nxt = client.get(f"/contacts/appointments/?week={(monday + dt.timedelta(days=7)).isoformat()}",
                     HTTP_HX_REQUEST="true").content.decode()
    assert "下周电话" in nxt and "<html" not in nxt


def test_excel_contact_record_has_the_handbook_title_headers_and_masked_values(login_as, world):
    make_contact(world.cust_a, world.cm_c1_1, timezone.localdate(), purpose="回访")
    response = login_as("head_c1").get("/contacts/export/")
    ws = openpyxl.load_workbook(io.BytesIO(download(response))).active
    assert ws["A1"].value == "《会面/电话/邮寄客户维护记录表》"
    assert "朝阳理财中心" in ws["A2"].value
    headers = [c.value for c in ws[4]]
    assert headers[:4] == ["序号", "联系时间", "客户姓名", "客户号"] and "手机号" in headers
    row = [c.value for c in ws[5]]
    assert "138****1234" in row and "13812341234" not in row
    assert AuditLog.objects.filter(action=AuditAction.EXPORT, object_type="contacts.contactrecord").count() == 1


def _many_contacts(world, n):
    for i in range(n):
        c = Customer.objects.create(cif_no=f"Q{i:08d}", name=f"批量{i}", id_type="other", id_number=f"Q{i}",
                                    center=world.c1, client_manager=world.cm_c1_1, tier=Tier.PREMIUM,
                                    aum_avg=Decimal("300000"))
        make_contact(c, world.cm_c1_1, timezone.localdate() - dt.timedelta(days=40 + i))


@pytest.mark.parametrize("n", [1, 30])
def test_contact_and_due_lists_keep_a_fixed_number_of_queries(login_as, world, n, django_assert_max_num_queries):
    _many_contacts(world, n)
    client = login_as("cm_c1_1")
    client.get("/contacts/")
    # 13: a list view of customer data writes one audit row (core.access_audit), whatever the number of rows
    with django_assert_max_num_queries(13):
        assert client.get("/contacts/").status_code == 200
    with django_assert_max_num_queries(13):
        assert client.get("/contacts/due/").status_code == 200
    with django_assert_max_num_queries(13):
        assert client.get("/contacts/appointments/").status_code == 200
