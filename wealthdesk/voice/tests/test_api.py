"""The voice API: same scope as the pages, nested questions, answer/told actions, strict input, pagination."""
import pytest

from wealthdesk.voice import services
from wealthdesk.voice.models import NeedsCard, NeedsQuestion, SurveyResponse

from .helpers import answers_for, make_card, make_survey, routed

pytestmark = pytest.mark.django_db


def test_client_manager_creates_a_card_with_questions_in_one_call(world, api_as):
    response = api_as("cm_c1_1").post("/api/v1/needs-cards/", {
        "customer": world.cust_a.pk, "needs": [{"category": "investment", "detail": "稳健"}],
        "questions": [{"text": "定投怎么设", "route": "on_spot", "answer": "手机银行"},
                      {"text": "收益怎么算", "route": "supervisor"}]}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [q["route"] for q in body["questions"]] == ["on_spot", "supervisor"]
    assert body["questions"][1]["due_on"] and "定投怎么设" in body["remarks"]


def test_unknown_fields_are_refused_with_their_names(world, api_as):
    client = api_as("cm_c1_1")
    response = client.post("/api/v1/needs-cards/", {"customer": world.cust_a.pk, "needs": [{"category": "loan"}],
                                                    "client_manager": 1}, format="json")
    assert response.status_code == 400 and "client_manager" in response.json()
    response = client.post("/api/v1/needs-cards/", {"customer": world.cust_a.pk,
                                                    "needs": [{"category": "loan", "colour": "red"}]}, format="json")
    assert response.status_code == 400 and "colour" in str(response.json())
    assert not NeedsCard.objects.exists()


def test_out_of_scope_customer_is_refused(world, api_as):
    response = api_as("cm_c1_1").post("/api/v1/needs-cards/", {"customer": world.cust_b.pk,
                                                               "needs": [{"category": "loan"}]}, format="json")
    assert response.status_code == 400 and "customer" in response.json()


def test_answer_and_told_actions(world, api_as):
    q = routed(world, "branch")
    response = api_as("branch1_service").get("/api/v1/needs-questions/?box=inbox")
    assert [r["id"] for r in response.json()["results"]] == [q.pk]
    response = api_as("branch1_service").post(f"/api/v1/needs-questions/{q.pk}/answer/", {"answer": ""},
                                              format="json")
    assert response.status_code == 400 and "answer" in response.json()
    response = api_as("branch1_service").post(f"/api/v1/needs-questions/{q.pk}/answer/", {"answer": "可以"},
                                              format="json")
    assert response.json()["status"] == "answered"
    response = api_as("cm_c1_1").post(f"/api/v1/needs-questions/{q.pk}/told/", {}, format="json")
    assert response.json()["status"] == "told"


def test_question_create_via_api_needs_an_answer_on_the_spot(world, api_as):
    card = make_card(world)
    response = api_as("cm_c1_1").post("/api/v1/needs-questions/", {"card": card.pk, "text": "问", "route": "on_spot"},
                                      format="json")
    assert response.status_code == 400 and "当场答复" in response.json()["answer"][0]
    assert not NeedsQuestion.objects.exists()


def test_lists_are_paginated_and_rows_carry_an_id(world, api_as):
    make_card(world)
    body = api_as("head_c1").get("/api/v1/needs-cards/").json()
    row = body["results"][0]
    assert body["count"] == 1 and "id" in row and "questions" not in row and row["questions_count"] == 0


def test_survey_created_with_questions_and_published(world, api_as):
    client = api_as("branch1_service")
    response = client.post("/api/v1/surveys/", {"title": "保险需求", "questions": [
        {"kind": "scale", "text": "保障意识"}, {"kind": "single", "text": "预算", "options": ["1万内", "1万以上"]}]},
        format="json")
    assert response.status_code == 201, response.json()
    survey_id = response.json()["id"]
    assert client.post(f"/api/v1/surveys/{survey_id}/publish/").json()["status"] == "open"
    assert api_as("cm_c1_1").get(f"/api/v1/surveys/{survey_id}/").status_code == 200
    assert api_as("cm_c2_1").get(f"/api/v1/surveys/{survey_id}/").status_code == 404  # branch 2


def test_survey_response_with_a_wrong_type_is_refused(world, api_as):
    survey = make_survey(world)
    answers = answers_for(survey, scale=7)
    response = api_as("cm_c1_1").post("/api/v1/survey-responses/", {"survey": survey.pk, "customer": world.cust_a.pk,
                                                                    "answers": answers}, format="json")
    assert response.status_code == 400
    scale_q = survey.questions.get(position=3)
    assert "1到5之间的整数" in response.json()[f"q_{scale_q.pk}"][0]
    assert not SurveyResponse.objects.exists()
    answers = answers_for(survey)
    response = api_as("cm_c1_1").post("/api/v1/survey-responses/", {"survey": survey.pk, "customer": world.cust_a.pk,
                                                                    "answers": answers}, format="json")
    assert response.status_code == 201 and response.json()["id"]


def test_opinion_api_masks_contact_and_the_head_assigns(world, api_as):
    op = services.opinion_post(unit=world.c1, content="希望增加理财讲座", contact="13700001234", ip="1.2.3.4")
    row = api_as("head_c1").get("/api/v1/opinions/").json()["results"][0]
    assert row["contact"] == "137****1234"
    response = api_as("head_c1").post(f"/api/v1/opinions/{op.pk}/assign/", {"assignee": world.cm_c1_1.pk},
                                      format="json")
    assert response.json()["status"] == "assigned"
    assert api_as("cm_c1_1").get(f"/api/v1/opinions/{op.pk}/").status_code == 200
    response = api_as("cm_c1_1").post(f"/api/v1/opinions/{op.pk}/close/", {}, format="json")
    assert response.status_code == 400 and "note" in response.json()
