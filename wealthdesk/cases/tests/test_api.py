"""/api/v1/cases/: open (and hand up), hand_up, take, answer, close — the services' checks answer 400 naming the
field; out of scope 404; wrong role 403."""
import pytest

from wealthdesk.cases.models import Case

from .factories import referred

pytestmark = pytest.mark.django_db


def test_open_and_hand_up_through_the_api_then_answer_and_close(api_as, world):
    head = api_as("head_c1")
    r = head.post("/api/v1/cases/", {"subject_kind": "customer", "subject_id": world.cust_a.pk, "title": "利率",
                                     "question": "需优惠利率", "to_unit": world.sub1.pk}, format="json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["status"] == "referred"
    sub = api_as("subbranch1_service")
    assert sub.post(f"/api/v1/cases/{pk}/take/", {}, format="json").status_code == 200
    r = sub.post(f"/api/v1/cases/{pk}/hand_up/", {"to_unit": world.branch1.pk}, format="json")
    assert r.json()["holder_unit"] == world.branch1.pk
    branch = api_as("branch1_service")
    r = branch.post(f"/api/v1/cases/{pk}/answer/", {"text": "已协调"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "answered"
    r = head.post(f"/api/v1/cases/{pk}/close/", {"text": ""}, format="json")
    assert r.json()["status"] == "closed"


def test_bad_input_names_the_field_and_changes_nothing(api_as, world):
    head = api_as("head_c1")
    r = head.post("/api/v1/cases/", {"subject_kind": "customer", "subject_id": world.cust_a.pk, "title": "利率",
                                     "question": "", "to_unit": world.branch1.pk}, format="json")
    assert r.status_code == 400 and "请填写请求上级解决的问题。" in r.json()["question"]
    r = head.post("/api/v1/cases/", {"subject_kind": "customer", "subject_id": world.cust_b.pk, "title": "x",
                                     "question": "y"}, format="json")
    assert r.status_code == 400 and "subject_id" in r.json()
    r = head.post("/api/v1/cases/", {"subject_kind": "customer", "subject_id": world.cust_a.pk, "title": "x",
                                     "question": "y", "status": "closed"}, format="json")
    assert r.status_code == 400 and "status" in r.json()
    assert not Case.objects.exists()
    case = referred(world)
    r = api_as("branch1_service").post(f"/api/v1/cases/{case.pk}/answer/", {"text": ""}, format="json")
    assert r.status_code == 400 and "answer" in r.json()
    r = api_as("branch1_service").post(f"/api/v1/cases/{case.pk}/hand_up/", {}, format="json")
    assert r.status_code == 400 and "to_unit" in r.json()


def test_outsiders_get_404_and_wrong_roles_403(api_as, world):
    case = referred(world)
    assert api_as("head_c2").get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert api_as("head_c2").get("/api/v1/cases/").json()["count"] == 0
    assert api_as("teller_c1").get("/api/v1/cases/").status_code == 403
    assert api_as("advisor_1").get(f"/api/v1/cases/{case.pk}/").status_code == 403
    assert api_as("head_c1").post(f"/api/v1/cases/{case.pk}/answer/", {"text": "x"},
                                  format="json").status_code == 403
