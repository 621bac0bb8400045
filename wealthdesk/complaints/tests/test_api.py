"""/api/v1/complaints/: the same scope, masking and bad-input messages as the pages (R30–R32)."""
import pytest

from wealthdesk.complaints.models import Complaint

from .helpers import c1_complaint, record

pytestmark = pytest.mark.django_db


def test_teller_creates_by_exact_id_number_and_sees_only_own(api_as, world):
    record(world)  # the lobby manager's
    api = api_as("teller_c1")
    response = api.post("/api/v1/complaints/", {"channel": "counter", "category": "waiting", "content": "排队太久",
                                                "customer_id_number": world.cust_a2.id_number}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["complainant"] == "李*" and body["owner"] == world.head_c1.pk and body["logs"][0]["kind"] == "accepted"
    listing = api.get("/api/v1/complaints/").json()
    assert listing["count"] == 1 and listing["results"][0]["id"] == body["id"]


def test_unknown_fields_are_refused_with_400(api_as, world):
    response = api_as("lobby_c1").post("/api/v1/complaints/", {"channel": "counter", "category": "waiting",
                                                               "content": "x", "owner": 1}, format="json")
    assert response.status_code == 400 and "owner" in response.json()
    assert Complaint.objects.count() == 0


def test_bad_choice_names_the_field(api_as, world):
    response = api_as("lobby_c1").post("/api/v1/complaints/", {"channel": "pigeon", "category": "waiting",
                                                               "content": "x"}, format="json")
    assert response.status_code == 400 and "channel" in response.json()


def test_lobby_manager_cannot_pick_a_customer_by_id_outside_reach(api_as, world):
    response = api_as("lobby_c1").post("/api/v1/complaints/", {"channel": "counter", "category": "waiting",
                                                               "content": "x", "customer": world.cust_a.pk},
                                       format="json")
    assert response.status_code == 400 and "customer" in response.json()


def test_extension_beyond_thirty_days_is_400_and_nothing_changes(api_as, world):
    complaint = c1_complaint(world)
    response = api_as("head_c1").post(f"/api/v1/complaints/{complaint.pk}/extend/",
                                      {"reason": "案情复杂", "days": 40}, format="json")
    assert response.status_code == 400 and "30" in response.json()["days"][0]
    complaint.refresh_from_db()
    assert complaint.extended_at is None


def test_close_without_resolution_is_400(api_as, world):
    complaint = c1_complaint(world)
    response = api_as("head_c1").post(f"/api/v1/complaints/{complaint.pk}/close/",
                                      {"resolution": "", "outcome": "resolved"}, format="json")
    assert response.status_code == 400 and "处理结果" in response.json()["resolution"][0]


def test_api_list_is_paginated_masked_and_filterable(api_as, world):
    c1_complaint(world)
    record(world, received_on=__import__("datetime").date(2020, 1, 6))
    data = api_as("head_c1").get("/api/v1/complaints/?overdue=1").json()
    assert data["count"] == 1 and data["results"][0]["is_overdue"] is True
    data = api_as("head_c1").get("/api/v1/complaints/").json()
    row = next(r for r in data["results"] if r["customer"])
    assert row["complainant"] == "张*" and row["complainant_contact"] == "138****1234"


def test_api_list_queries_do_not_grow_with_rows(api_as, world, django_assert_max_num_queries):
    api = api_as("head_c1")
    record(world)
    # 10: the list's own queries plus authentication (the token, its lockout check, the access checks)
    with django_assert_max_num_queries(10) as first:
        assert api.get("/api/v1/complaints/").status_code == 200
    for _ in range(15):
        record(world, customer=world.cust_a)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert api.get("/api/v1/complaints/").status_code == 200


def test_staff_without_the_confidentiality_agreement_are_refused(api_as, login_as, world):
    from wealthdesk.staff.models import AgreementAcceptance

    AgreementAcceptance.objects.filter(user=world.lobby_c1).delete()
    assert api_as("lobby_c1").get("/api/v1/complaints/").status_code == 403
    response = login_as("lobby_c1").get("/complaints/")
    assert response.status_code == 302 and "/staff/agreement/" in response["Location"]
