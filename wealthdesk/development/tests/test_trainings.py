"""Training plans (R38) by an upper level for the levels below (R40): audience by units and positions, attendance
and an assessment per participant, refusals that change nothing, the roll-up and the Excel export."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wealthdesk.core.models import AuditLog
from wealthdesk.core.roles import Role
from wealthdesk.core.testing.exports import download, xlsx_text
from wealthdesk.development import selectors, services
from wealthdesk.development.choices import Attendance, TrainingStatus
from wealthdesk.development.models import Enrolment, TrainingPlan

from .factories import held_training, training

pytestmark = pytest.mark.django_db


def test_branch_plans_training_for_a_center_and_the_audience_is_enrolled(world):
    t = training(world, positions=(Role.CLIENT_MANAGER,))
    assert t.organizer == world.branch1
    assert set(t.enrolments.values_list("person__username", flat=True)) == {"cm_c1_1", "cm_c1_2"}
    assert set(t.enrolments.values_list("unit_id", flat=True)) == {world.c1.pk}
    assert AuditLog.objects.filter(object_type="development.trainingplan", object_id=str(t.pk)).exists()


def test_head_office_trains_branch_staff(world):
    t = training(world, organizer="hq_service", units=("branch1", "branch2"),
                 positions=(Role.BRANCH_SERVICE, Role.QUALITY_MANAGER))
    assert set(t.enrolments.values_list("person__username", flat=True)) == {"branch1_service", "quality_b1"}


def test_audience_outside_the_organizers_subtree_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        training(world, units=("c2",))
    assert "audience_units" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        training(world, positions=("nobody",))
    assert "audience_positions" in exc.value.message_dict
    assert not TrainingPlan.objects.exists()


def test_client_manager_cannot_plan_training(world):
    with pytest.raises(PermissionDenied):
        training(world, organizer="cm_c1_1")


def test_attendance_and_assessment(world):
    t = training(world)
    e1, e2 = t.enrolments.order_by("person__username")
    counts = services.training_attendance(actor=world.branch1_service, training=t, present_ids=[e1.pk])
    assert counts == {"present": 1, "absent": 1}
    t.refresh_from_db()
    assert t.status == TrainingStatus.HELD
    e1.refresh_from_db()
    services.enrolment_assess(actor=world.branch1_service, enrolment=e1, score="88.5", comment="掌握良好")
    e1.refresh_from_db()
    assert e1.score == 88.5 and e1.assessed_by == world.branch1_service
    e2.refresh_from_db()
    with pytest.raises(ValidationError):  # absent: no assessment
        services.enrolment_assess(actor=world.branch1_service, enrolment=e2, score=70)
    with pytest.raises(ValidationError):  # an assessed participant cannot become absent
        services.training_attendance(actor=world.branch1_service, training=t, present_ids=[e2.pk])
    with pytest.raises(ValidationError):  # twice
        services.enrolment_assess(actor=world.branch1_service, enrolment=e1, score=90)


@pytest.mark.parametrize("score", ["101", "-1", "abc", "", "NaN"])
def test_bad_score_names_the_field_and_changes_nothing(world, score):
    t = held_training(world)
    e = t.enrolments.first()
    with pytest.raises(ValidationError) as exc:
        services.enrolment_assess(actor=world.branch1_service, enrolment=e, score=score)
    assert "score" in exc.value.message_dict
    e.refresh_from_db()
    assert e.score is None and e.assessed_at is None


def test_attendance_before_the_training_date_and_unknown_people_are_refused(world):
    future = training(world, days_ago=-3)
    with pytest.raises(ValidationError) as exc:
        services.training_attendance(actor=world.branch1_service, training=future,
                                     present_ids=future.enrolments.values_list("pk", flat=True))
    assert "present" in exc.value.message_dict
    t = training(world)
    with pytest.raises(ValidationError):
        services.training_attendance(actor=world.branch1_service, training=t, present_ids=[999999])
    assert not Enrolment.objects.exclude(attendance=Attendance.ENROLLED).exists()


def test_only_the_organizer_records_attendance(world):
    t = training(world)
    for name in ("subbranch1_service", "head_c1", "hq_service"):
        with pytest.raises(PermissionDenied):
            services.training_attendance(actor=world.users[name], training=t, present_ids=[])


def test_visibility_of_trainings_and_participants(world):
    t = training(world)
    for name in ("branch1_service", "hq_service", "head_c1", "subbranch1_service", "cm_c1_1"):
        assert TrainingPlan.objects.visible_to(world.users[name]).filter(pk=t.pk).exists(), name
    for name in ("head_c2", "cm_c2_1", "teller_c1", "advisor_1", "admin"):
        assert not TrainingPlan.objects.visible_to(world.users[name]).exists(), name
    assert set(Enrolment.objects.visible_to(world.cm_c1_1).values_list("person__username", flat=True)) == {"cm_c1_1"}
    assert Enrolment.objects.visible_to(world.head_c1).count() == 2


def test_rollup_sums_training_received_below(world):
    t = held_training(world, positions=(Role.CLIENT_MANAGER, Role.CASH_TELLER))
    e = t.enrolments.get(person=world.cm_c1_1)
    services.enrolment_assess(actor=world.branch1_service, enrolment=e, score=80)
    e2 = t.enrolments.get(person=world.cm_c1_2)
    services.enrolment_assess(actor=world.branch1_service, enrolment=e2, score=90)
    data = selectors.training_rollup(world.hq_service, world.hq, timezone.localdate().year)
    by_unit = {row["unit"].code: row for row in data["rows"]}
    assert by_unit["B1"]["figures"] == {"enrolled": 3, "present": 3, "assessed": 2, "score_total": 170.0}
    assert by_unit["B1"]["avg_score"] == 85.0 and by_unit["B1"]["trainings"] == 1
    assert by_unit["B2"]["figures"] == {} and by_unit["B2"]["trainings"] == 0
    assert data["total"]["enrolled"] == 3 and data["total"]["trainings"] == 1
    center = selectors.training_rollup(world.head_c1, world.c1, timezone.localdate().year)
    assert center["rows"][0]["unit"] == world.c1 and center["rows"][0]["figures"]["enrolled"] == 3


def test_export_lists_attendance_and_assessment(world, client):
    t = held_training(world)
    e = t.enrolments.get(person=world.cm_c1_1)
    services.enrolment_assess(actor=world.branch1_service, enrolment=e, score=77, comment="=SUM(A1)")
    client.force_login(world.branch1_service)
    resp = client.get(f"/development/trainings/{t.pk}/export/?format=xlsx")
    assert resp.status_code == 200
    text = xlsx_text(download(resp))
    assert "《培训出席及考核表》" in text and "cm_c1_1" in text and "77" in text and "出席" in text
    row = AuditLog.objects.filter(action="export", object_id=str(t.pk)).get()
    assert row.detail["rows"] == 2


def test_future_training_detail_shows_the_audience(world, client):
    t = training(world, days_ago=-5)
    client.force_login(world.cm_c1_1)
    page = client.get(f"/development/trainings/{t.pk}/").content.decode()
    assert "资产配置培训" in page and (timezone.localdate() + dt.timedelta(days=5)).isoformat() in page
