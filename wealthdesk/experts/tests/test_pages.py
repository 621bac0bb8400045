"""The experts pages: fixed query counts on the lists, exports masked and watermarked, bad input shown on the
page with nothing changed, the coordinator's overdue panel, the pool members' home page."""
import datetime as dt

import pytest

from wealthdesk.core.testing.exports import download, xlsx_text
from wealthdesk.experts import services
from wealthdesk.experts.models import Consultation, PoolMember

from .factories import ask, pool

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("many", [1, 12])
def test_the_consultation_list_has_a_fixed_query_count(login_as, world, django_assert_max_num_queries, many):
    for _ in range(many):
        ask(world)
    client = login_as("cm_c1_1")
    with django_assert_max_num_queries(16):
        response = client.get("/experts/consultations/")
    assert response.status_code == 200 and response.content.decode().count("data-testid=\"open-consultation-") == many


@pytest.mark.parametrize("many", [1, 6])
def test_the_pool_list_has_a_fixed_query_count(login_as, world, django_assert_max_num_queries, many):
    pool(world)
    from wealthdesk.staff.models import StaffRole, User

    for i in range(many):
        user = User.objects.create(username=f"adv{i}", full_name=f"顾问{i}", unit=world.hq)
        StaffRole.objects.create(user=user, role="financial_advisor")
        services.member_add(actor=world.hq_service, user=user, kind="advisor", unit=world.hq, specialties=["fx"],
                            company="某证券", engagement_ends_on=dt.date(2099, 1, 1))
    client = login_as("hq_service")
    with django_assert_max_num_queries(14):
        response = client.get("/experts/")
    assert response.status_code == 200


def test_the_consultation_export_masks_names_for_the_head_office_desk(login_as, world):
    ask(world)
    data = download(login_as("hq_service").get("/experts/consultations/?format=xlsx"))
    text = xlsx_text(data)
    assert "《专家咨询登记表》" in text and "13812341234" not in text


def test_asking_for_another_managers_customer_shows_the_message_and_changes_nothing(login_as, world):
    pool(world)
    response = login_as("cm_c1_1").post("/experts/consultations/new/", {
        "customer": world.cust_a2.pk, "specialty": "funds", "urgency": "normal", "level": "branch", "question": "问"})
    assert response.status_code == 400
    assert "不在您的客户名单中" in response.content.decode()
    assert not Consultation.objects.exists()


def test_a_booking_outside_availability_shows_its_message(login_as, world):
    members = pool(world)
    members["expert_1"].slots.all().delete()
    c = ask(world)
    services.consultation_take(actor=world.expert_1, consultation=c)
    response = login_as("expert_1").post(f"/experts/consultations/{c.pk}/book/", {
        "starts_at": "2099-06-01T10:00", "ends_at": "2099-06-01T11:00", "place": ""})
    assert response.status_code == 400 and "不在该专家的可预约时段内" in response.content.decode()


def test_the_pool_form_names_the_missing_company(login_as, world):
    response = login_as("hq_service").post("/experts/new/", {
        "user": world.advisor_1.pk, "kind": "advisor", "unit": world.hq.pk, "specialties": ["funds"],
        "engagement_ends_on": "2099-01-01"})
    assert response.status_code == 400 and "外部理财顾问须填写所属公司" in response.content.decode()
    assert not PoolMember.objects.exists()


def test_overdue_consultations_show_on_the_coordinators_home(login_as, world):
    pool(world)
    services.consultation_ask(actor=world.cm_c1_1, customer=world.cust_a, question="问", specialty="tax",
                              level="head_office", today=dt.date(2026, 1, 5))
    body = login_as("hq_service").get("/?overview=1").content.decode()
    assert 'data-testid="panel-overdue"' in body and "本机构受理的逾期咨询 1 项" in body
    assert "本机构受理的逾期咨询 0 项" in login_as("branch1_service").get("/?overview=1").content.decode()


def test_pool_members_land_on_their_desk(login_as, world):
    c = ask(world, named="advisor_1")
    response = login_as("advisor_1").get("/")
    assert response.status_code == 302 and response["Location"] == "/experts/mine/"
    body = login_as("advisor_1").get("/experts/mine/").content.decode()
    assert f'data-testid="open-consultation-{c.pk}"' in body


def test_keepers_add_a_slot_and_a_stale_edit_is_a_409(login_as, world):
    member = pool(world)["expert_1"]
    client = login_as("branch1_service")
    response = client.post(f"/experts/{member.pk}/slot/", {"weekday": 2, "start_time": "18:00", "end_time": "17:00"})
    assert response.status_code == 400 and "必须晚于开始时间" in response.content.decode()
    assert client.post(f"/experts/{member.pk}/slot/", {"weekday": 2, "start_time": "18:00",
                                                       "end_time": "19:00"}).status_code == 302
    assert member.slots.filter(start_time="18:00").exists()
    ok = client.post(f"/experts/{member.pk}/edit/", {"version": member.version, "specialties": ["tax"],
                                                     "company": "", "title": "高级专家"})
    assert ok.status_code == 302
    stale = client.post(f"/experts/{member.pk}/edit/", {"version": member.version, "specialties": ["fx"],
                                                        "company": "", "title": "x"})
    assert stale.status_code == 409
    member.refresh_from_db()
    assert member.specialties == ["tax"] and member.title == "高级专家"


def test_the_pool_detail_and_create_pages_render(login_as, world):
    member = pool(world)["expert_1"]
    client = login_as("branch1_service")
    assert 'data-testid="revoke-form"' in client.get(f"/experts/{member.pk}/").content.decode()
    assert 'data-testid="member-form"' in client.get("/experts/new/").content.decode()
