"""The API of career goals and trainings: the same services as the pages; bad input answers 400 naming the field
and changes nothing; rows carry an ``id``; lists are paginated."""
import datetime as dt

import pytest
from django.utils import timezone

from wealthdesk.core.roles import Role
from wealthdesk.development.choices import ReviewStatus
from wealthdesk.development.models import CareerGoal, CareerReview, Enrolment, TrainingPlan
from wealthdesk.development.services import quarter_of

from .factories import goal, held_training

pytestmark = pytest.mark.django_db


def _goal_body(world, staff="cm_c1_1"):
    return {"staff": world.users[staff].pk, "year": timezone.localdate().year, "goal": "成为资深客户经理",
            "alignment": "财富管理战略", "measures": "每季度新增核心客户"}


def test_head_sets_goal_and_staff_confirms_through_the_api(world, api_as):
    resp = api_as("head_c1").post("/api/v1/career-goals/", _goal_body(world), format="json")
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["id"] and body["status"] == "awaiting_staff" and body["reviews"]
    resp = api_as("cm_c1_1").post(f"/api/v1/career-goals/{body['id']}/confirm/")
    assert resp.status_code == 200 and resp.json()["status"] == "agreed"
    listing = api_as("cm_c1_1").get("/api/v1/career-goals/").json()
    assert listing["count"] == 1 and listing["results"][0]["id"] == body["id"]


def test_goal_for_another_centers_staff_answers_400_naming_staff(world, api_as):
    resp = api_as("head_c1").post("/api/v1/career-goals/", _goal_body(world, "cm_c2_1"), format="json")
    assert resp.status_code == 400 and "staff" in resp.json()
    assert not CareerGoal.objects.exists()


def test_review_in_the_future_answers_400_naming_held_on(world, api_as):
    g = goal(world)
    today = timezone.localdate()
    resp = api_as("head_c1").post(f"/api/v1/career-goals/{g.pk}/review/", {
        "quarter": quarter_of(today), "held_on": (today + dt.timedelta(days=2)).isoformat(), "progress": "x"},
        format="json")
    assert resp.status_code == 400 and "held_on" in resp.json()
    resp = api_as("head_c1").post(f"/api/v1/career-goals/{g.pk}/review/", {
        "quarter": quarter_of(today), "held_on": today.isoformat(), "progress": "x", "extra": 1}, format="json")
    assert resp.status_code == 400 and "extra" in str(resp.json())
    assert not CareerReview.objects.filter(status=ReviewStatus.HELD).exists()


def test_branch_plans_training_records_attendance_and_assesses_through_the_api(world, api_as):
    client = api_as("branch1_service")
    resp = client.post("/api/v1/trainings/", {
        "topic": "资产配置", "held_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(), "trainer": "讲师",
        "audience_units": [world.c1.pk], "audience_positions": [Role.CLIENT_MANAGER], "gap": "AUM 落后"},
        format="json")
    assert resp.status_code == 201, resp.content
    tid = resp.json()["id"]
    detail = client.get(f"/api/v1/trainings/{tid}/").json()
    ids = [p["id"] for p in detail["participants"]]
    assert len(ids) == 2
    resp = client.post(f"/api/v1/trainings/{tid}/attendance/", {"present": ids}, format="json")
    assert resp.status_code == 200 and resp.json()["present"] == 2
    resp = client.post(f"/api/v1/trainings/{tid}/assess/", {"enrolment": ids[0], "score": "92.5", "comment": "好"},
                       format="json")
    assert resp.status_code == 200 and resp.json()["score"] == "92.5"
    resp = client.post(f"/api/v1/trainings/{tid}/assess/", {"enrolment": ids[0], "score": "80"}, format="json")
    assert resp.status_code == 400 and "score" in resp.json()


def test_bad_training_input_answers_400_and_creates_nothing(world, api_as):
    client = api_as("branch1_service")
    base = {"topic": "资产配置", "held_on": timezone.localdate().isoformat(), "trainer": "讲师",
            "audience_units": [world.c2.pk], "gap": "差距"}
    resp = client.post("/api/v1/trainings/", base, format="json")
    assert resp.status_code == 400 and "audience_units" in resp.json()
    resp = client.post("/api/v1/trainings/", {**base, "audience_units": [world.c1.pk], "held_on": "2026-13-01"},
                       format="json")
    assert resp.status_code == 400 and "held_on" in resp.json()
    assert not TrainingPlan.objects.exists()


def test_score_out_of_range_answers_400(world, api_as):
    t = held_training(world)
    e = t.enrolments.first()
    resp = api_as("branch1_service").post(f"/api/v1/trainings/{t.pk}/assess/", {"enrolment": e.pk, "score": "120"},
                                          format="json")
    assert resp.status_code == 400 and "score" in resp.json()
    assert not Enrolment.objects.filter(assessed_at__isnull=False).exists()
