"""/api/v1/experts/ and /api/v1/consultations/: the flow through the API and its bad input (a clear message naming
the field, nothing changed, the attempt audited)."""
import datetime as dt

import pytest
from django.utils import timezone

from wealthdesk.core.models import AuditLog
from wealthdesk.experts.choices import ConsultationStatus
from wealthdesk.experts.models import Consultation, PoolMember

from .factories import answered, pool

pytestmark = pytest.mark.django_db


def test_ask_take_ask_back_reply_answer_book_close_rate_through_the_api(api_as, world):
    pool(world)
    cm = api_as("cm_c1_1")
    r = cm.post("/api/v1/consultations/", {"customer": world.cust_a.pk, "question": "基金调整", "specialty": "funds",
                                           "level": "branch", "urgency": "urgent"}, format="json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["customer_name"] == "张伟" and r.json()["summary"]["aum_band"] == "100万–300万元"
    expert = api_as("expert_1")
    assert expert.post(f"/api/v1/consultations/{pk}/take/").status_code == 200
    assert expert.post(f"/api/v1/consultations/{pk}/ask/", {"text": "期限？"}, format="json").json()["status"] == \
        ConsultationStatus.ASKED_BACK
    assert cm.post(f"/api/v1/consultations/{pk}/reply/", {"text": "一年"}, format="json").status_code == 200
    assert expert.post(f"/api/v1/consultations/{pk}/answer/", {"text": "均衡配置"}, format="json").json()["status"] \
        == ConsultationStatus.ANSWERED
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=3), dt.time(10)))
    r = expert.post(f"/api/v1/consultations/{pk}/book/", {"starts_at": start.isoformat(),
                                                          "ends_at": (start + dt.timedelta(hours=1)).isoformat()},
                    format="json")
    assert r.status_code == 200 and len(r.json()["bookings"]) == 1
    assert cm.post(f"/api/v1/consultations/{pk}/close/", {"usage": "adopted"}, format="json").status_code == 200
    r = cm.post(f"/api/v1/consultations/{pk}/rate/", {"rating": 5, "comment": "很好"}, format="json")
    assert r.status_code == 200 and r.json()["rating"] == 5 and r.json()["status"] == ConsultationStatus.CLOSED


def test_a_customer_outside_the_book_is_a_400_naming_the_customer_and_audited(api_as, world):
    pool(world)
    r = api_as("cm_c1_1").post("/api/v1/consultations/", {"customer": world.cust_a2.pk, "question": "问",
                                                          "specialty": "funds", "level": "branch"}, format="json")
    assert r.status_code == 400 and "不在您的客户名单中" in r.json()["customer"][0]
    assert not Consultation.objects.exists()
    assert AuditLog.objects.filter(actor=world.cm_c1_1, action="denied", detail__what="consultation_ask").exists()


def test_an_answer_after_close_is_a_400(api_as, world):
    c = answered(world)
    api_as("cm_c1_1").post(f"/api/v1/consultations/{c.pk}/close/", {"usage": "partly"}, format="json")
    r = api_as("advisor_1").post(f"/api/v1/consultations/{c.pk}/answer/", {"text": "再答"}, format="json")
    assert r.status_code == 400 and "已关闭" in str(r.json())


def test_a_booking_outside_availability_is_a_400(api_as, world):
    members = pool(world)
    members["advisor_1"].slots.all().delete()
    c = answered(world)
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=3), dt.time(22)))
    r = api_as("advisor_1").post(f"/api/v1/consultations/{c.pk}/book/", {
        "starts_at": start.isoformat(), "ends_at": (start + dt.timedelta(hours=1)).isoformat()}, format="json")
    assert r.status_code == 400 and "可预约时段" in r.json()["starts_at"][0]


def test_bad_input_names_the_field(api_as, world):
    pool(world)
    cm = api_as("cm_c1_1")
    r = cm.post("/api/v1/consultations/", {"customer": world.cust_a.pk, "question": "问", "specialty": "astrology",
                                           "level": "branch"}, format="json")
    assert r.status_code == 400 and "specialty" in r.json()
    r = cm.post("/api/v1/consultations/", {"customer": world.cust_a.pk, "question": "问", "specialty": "funds",
                                           "level": "branch", "extra": 1}, format="json")
    assert r.status_code == 400 and "extra" in r.json()
    r = cm.post("/api/v1/consultations/", {"customer": world.cust_a.pk, "question": "问", "specialty": "funds"},
                format="json")
    assert r.status_code == 400 and "level" in r.json()


def test_keepers_add_edit_and_revoke_through_the_api(api_as, world):
    hq = api_as("hq_service")
    r = hq.post("/api/v1/experts/", {"user": world.advisor_1.pk, "kind": "advisor", "unit": world.hq.pk,
                                     "specialties": ["funds"], "company": ""}, format="json")
    assert r.status_code == 400 and "company" in r.json()
    r = hq.post("/api/v1/experts/", {"user": world.advisor_1.pk, "kind": "advisor", "unit": world.hq.pk,
                                     "specialties": ["funds"], "company": "华夏基金",
                                     "engagement_ends_on": "2099-12-31"}, format="json")
    assert r.status_code == 201, r.content
    pk, version = r.json()["id"], r.json()["version"]
    r = hq.patch(f"/api/v1/experts/{pk}/", {"specialties": ["funds", "tax"], "version": version}, format="json")
    assert r.status_code == 200 and r.json()["specialties"] == ["funds", "tax"]
    r = hq.patch(f"/api/v1/experts/{pk}/", {"title": "x", "version": version}, format="json")
    assert r.status_code == 409
    assert hq.post(f"/api/v1/experts/{pk}/revoke/", {"revoke_reason": "终止"}, format="json").status_code == 200
    assert PoolMember.objects.get(pk=pk).revoked_at is not None
    assert api_as("branch1_service").post(f"/api/v1/experts/{pk}/revoke/", {"revoke_reason": "x"},
                                          format="json").status_code in (400, 403)
