"""Career goals and their quarterly reviews (R37): set with the head, confirmed by the staff member, reviewed each
quarter; refused for another center's staff, a future date, a quarter already reviewed; overdue as a query."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from wealthdesk.core.concurrency import Conflict
from wealthdesk.core.models import AuditLog, Notification
from wealthdesk.core.registry import compliance_measures
from wealthdesk.development import selectors, services
from wealthdesk.development.choices import GoalStatus, ReviewStatus
from wealthdesk.development.models import CareerGoal, CareerReview

from .factories import goal

pytestmark = pytest.mark.django_db


def test_head_sets_goal_and_reviews_are_due_each_remaining_quarter(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        g = goal(world)
    today = timezone.localdate()
    quarters = list(g.reviews.values_list("quarter", flat=True))
    assert quarters == list(range(services.quarter_of(today), 5))
    first = g.reviews.get(quarter=quarters[0])
    assert first.due_on == services.review_due_on(today.year, quarters[0]) > services.quarter_end(today.year,
                                                                                                 quarters[0])
    assert g.status == GoalStatus.AWAITING_STAFF and g.center == world.c1 and g.head == world.head_c1
    assert AuditLog.objects.filter(object_type="development.careergoal", object_id=str(g.pk)).exists()
    assert Notification.objects.filter(recipient=world.cm_c1_1).exists()


def test_goal_for_another_centers_staff_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.career_goal_set(actor=world.head_c1, staff=world.cm_c2_1, year=timezone.localdate().year,
                                 goal="x", alignment="y", measures="z")
    assert "staff" in exc.value.message_dict
    assert not CareerGoal.objects.exists()


def test_client_manager_cannot_set_goals(world):
    with pytest.raises(PermissionDenied):
        services.career_goal_set(actor=world.cm_c1_1, staff=world.cm_c1_2, year=timezone.localdate().year,
                                 goal="x", alignment="y", measures="z")


def test_a_second_goal_for_the_same_year_and_a_past_year_are_refused(world):
    goal(world)
    year = timezone.localdate().year
    for y in (year, year - 1):
        with pytest.raises(ValidationError) as exc:
            services.career_goal_set(actor=world.head_c1, staff=world.cm_c1_1, year=y, goal="x", alignment="y",
                                     measures="z")
        assert "year" in exc.value.message_dict
    assert CareerGoal.objects.count() == 1


def test_empty_text_names_the_field(world):
    with pytest.raises(ValidationError) as exc:
        services.career_goal_set(actor=world.head_c1, staff=world.cm_c1_1, year=timezone.localdate().year,
                                 goal="目标", alignment="  ", measures="z")
    assert "alignment" in exc.value.message_dict


def test_staff_confirms_once_and_only_their_own(world):
    g = goal(world)
    with pytest.raises(PermissionDenied):
        services.career_goal_confirm(actor=world.cm_c1_2, goal=g)
    services.career_goal_confirm(actor=world.cm_c1_1, goal=g)
    g.refresh_from_db()
    assert g.status == GoalStatus.AGREED and g.staff_agreed_at
    with pytest.raises(ValidationError):
        services.career_goal_confirm(actor=world.cm_c1_1, goal=g)


def test_edit_with_stale_version_is_a_conflict_and_edit_asks_for_confirmation_again(world):
    g = goal(world)
    services.career_goal_confirm(actor=world.cm_c1_1, goal=g)
    g.refresh_from_db()
    with pytest.raises(Conflict):
        services.career_goal_update(actor=world.head_c1, goal=g, version=g.version - 1, text="新", alignment="a",
                                    measures="m")
    services.career_goal_update(actor=world.head_c1, goal=g, version=g.version, text="新目标", alignment="a",
                                measures="m")
    g.refresh_from_db()
    assert g.goal == "新目标" and g.status == GoalStatus.AWAITING_STAFF and g.staff_agreed_at is None


def _review(world, **kw):
    today = timezone.localdate()
    args = {"actor": world.head_c1, "staff": world.cm_c1_1, "year": today.year, "quarter": services.quarter_of(today),
            "held_on": today, "progress": "进展顺利", "next_steps": "继续"}
    args.update(kw)
    return services.career_review_record(**args)


def test_head_records_quarterly_review(world):
    goal(world)
    review = _review(world)
    assert review.status == ReviewStatus.HELD and review.reviewed_by == world.head_c1
    assert AuditLog.objects.filter(object_type="development.careerreview", object_id=str(review.pk)).exists()


def test_review_in_the_future_is_refused(world):
    goal(world)
    with pytest.raises(ValidationError) as exc:
        _review(world, held_on=timezone.localdate() + dt.timedelta(days=1))
    assert "held_on" in exc.value.message_dict
    assert not CareerReview.objects.filter(status=ReviewStatus.HELD).exists()


def test_review_for_another_centers_staff_is_refused(world):
    goal(world)
    with pytest.raises(ValidationError) as exc:
        _review(world, staff=world.cm_c2_1)
    assert "staff" in exc.value.message_dict and "不属于您的理财中心" in exc.value.message_dict["staff"][0]


def test_review_twice_for_a_quarter_and_without_a_goal_are_refused(world):
    with pytest.raises(ValidationError) as exc:
        _review(world)
    assert "staff" in exc.value.message_dict
    goal(world)
    _review(world)
    with pytest.raises(ValidationError) as exc:
        _review(world)
    assert "quarter" in exc.value.message_dict


def test_overdue_reviews_drive_compliance_panel_and_reminders(world, django_capture_on_commit_callbacks):
    g = goal(world)
    today = timezone.localdate()
    first = g.reviews.order_by("quarter").first()
    CareerReview.objects.filter(pk=first.pk).update(due_on=today - dt.timedelta(days=1))
    assert list(selectors.overdue_reviews(world.head_c1, today)) == [first]
    assert list(selectors.overdue_reviews(world.head_c2, today)) == []
    assert list(selectors.overdue_reviews(world.cm_c1_2, today)) == []
    measure = next(m for m in compliance_measures() if m.key == "development.career_reviews")
    assert measure.rule == "R37"
    figures = measure.compute([world.c1.pk, world.c2.pk], today)
    assert figures[world.c1.pk]["overdue"] == 1 and figures[world.c2.pk] == {"due": 0, "done": 0, "overdue": 0}
    assert figures[world.c1.pk]["due"] == 1
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("career_review_reminders", stdout=open("/dev/null", "w"))
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"cm_c1_1", "head_c1"}


def test_goal_visibility_own_center_subtree(world):
    g = goal(world)
    goal(world, staff="teller_c1")
    assert set(CareerGoal.objects.visible_to(world.cm_c1_1)) == {g}
    assert CareerGoal.objects.visible_to(world.teller_c1).count() == 1
    assert CareerGoal.objects.visible_to(world.head_c1).count() == 2
    assert CareerGoal.objects.visible_to(world.branch1_service).count() == 2
    assert CareerGoal.objects.visible_to(world.hq_service).count() == 2
    for outsider in ("head_c2", "cm_c2_1", "cm_c1_2", "advisor_1", "admin", "auditor"):
        assert not CareerGoal.objects.visible_to(world.users[outsider]).exists(), outsider


def test_the_compliance_link_lists_the_units_overdue_reviews(world, client):
    g = goal(world)
    CareerReview.objects.filter(goal=g).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    measure = next(m for m in compliance_measures() if m.key == "development.career_reviews")
    client.force_login(world.branch1_service)
    page = client.get(measure.overdue_url(world.c1)).content.decode()
    assert f'/development/goals/{g.pk}/' in page
    page = client.get(measure.overdue_url(world.c2)).content.decode()
    assert f'/development/goals/{g.pk}/' not in page
