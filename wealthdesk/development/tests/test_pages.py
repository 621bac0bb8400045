"""The pages: forms show the reason naming the field and change nothing; list pages have fixed query counts."""
import datetime as dt

import pytest
from django.utils import timezone

from wealthdesk.core.roles import Role
from wealthdesk.development import services
from wealthdesk.development.choices import ReviewStatus
from wealthdesk.development.models import CareerGoal, CareerReview, TrainingPlan

from .factories import goal, held_training, training

pytestmark = pytest.mark.django_db


def test_head_sets_goal_on_the_page(world, client):
    client.force_login(world.head_c1)
    page = client.get("/development/goals/new/").content.decode()
    assert f'value="{world.cm_c1_1.pk}"' in page and f'value="{world.cm_c2_1.pk}"' not in page
    resp = client.post("/development/goals/new/", {"staff": world.cm_c1_1.pk, "year": timezone.localdate().year,
                                                    "goal": "目标", "alignment": "战略", "measures": "措施"})
    assert resp.status_code == 302
    assert CareerGoal.objects.get().staff == world.cm_c1_1


def test_goal_for_another_center_shows_the_reason(world, client):
    client.force_login(world.head_c1)
    resp = client.post("/development/goals/new/", {"staff": world.cm_c2_1.pk, "year": timezone.localdate().year,
                                                    "goal": "目标", "alignment": "战略", "measures": "措施"})
    assert resp.status_code == 400 and "不属于您的理财中心" in resp.content.decode()
    assert not CareerGoal.objects.exists()


def test_review_form_refuses_future_date_with_message(world, client):
    g = goal(world)
    today = timezone.localdate()
    client.force_login(world.head_c1)
    data = {"staff": world.cm_c1_1.pk, "year": g.year, "quarter": services.quarter_of(today),
            "held_on": (today + dt.timedelta(days=3)).isoformat(), "progress": "进展"}
    resp = client.post("/development/reviews/new/", data)
    assert resp.status_code == 400 and "回顾日期不能晚于今天" in resp.content.decode()
    resp = client.post("/development/reviews/new/", {**data, "held_on": today.isoformat()})
    assert resp.status_code == 302
    assert CareerReview.objects.filter(status=ReviewStatus.HELD).count() == 1


def test_bad_query_parameters_answer_400(world, client):
    client.force_login(world.head_c1)
    assert client.get("/development/goals/?year=abc").status_code == 400
    assert client.get("/development/trainings/rollup/?unit=x").status_code == 400
    assert client.get("/development/trainings/?year=99999").status_code == 400


def test_training_form_refuses_units_outside_with_message(world, client):
    client.force_login(world.branch1_service)
    page = client.get("/development/trainings/new/").content.decode()
    assert f'value="{world.c1.pk}"' in page and f'value="{world.c2.pk}"' not in page
    resp = client.post("/development/trainings/new/", {
        "topic": "培训", "held_on": timezone.localdate().isoformat(), "trainer": "讲师", "audience_units": [world.c2.pk],
        "gap": "差距"})
    assert resp.status_code == 400 and "不在您的范围内" in resp.content.decode()
    assert not TrainingPlan.objects.exists()


def test_assessment_with_bad_score_shows_the_message(world, client):
    t = held_training(world)
    e = t.enrolments.first()
    client.force_login(world.branch1_service)
    resp = client.post(f"/development/enrolments/{e.pk}/assess/", {"score": "150"}, follow=True)
    assert "考核成绩必须是 0 到 100 之间的数字" in resp.content.decode()


def _many_goals(world, n):
    from wealthdesk.staff.models import StaffRole, User
    users = User.objects.bulk_create([User(username=f"x{i}", unit=world.c1) for i in range(n)])
    StaffRole.objects.bulk_create([StaffRole(user=u, role=Role.CLIENT_MANAGER) for u in users])
    for u in users:
        services.career_goal_set(actor=world.head_c1, staff=u, year=timezone.localdate().year, goal="g",
                                 alignment="a", measures="m")


@pytest.mark.parametrize("n", [1, 12])
def test_list_pages_have_fixed_query_counts(world, client, django_assert_max_num_queries, n):
    _many_goals(world, n)
    for _ in range(n):
        training(world)
    client.force_login(world.head_c1)
    with django_assert_max_num_queries(22):
        assert client.get("/development/goals/").status_code == 200
    with django_assert_max_num_queries(22):
        assert client.get("/development/trainings/").status_code == 200
    client.force_login(world.branch1_service)
    with django_assert_max_num_queries(22):
        assert client.get("/development/trainings/rollup/").status_code == 200
    t = TrainingPlan.objects.first()
    with django_assert_max_num_queries(24):
        assert client.get(f"/development/trainings/{t.pk}/").status_code == 200
