"""DESIGN rule 13 for training and career reviews: the assessment of a participant and the quarterly review lock
their row (20 real threads on PostgreSQL, exactly one winner, the others refused with a message)."""
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from wealthdesk.core.testing.races import race, requires_postgres
from wealthdesk.development import services
from wealthdesk.development.models import CareerReview, Enrolment
from wealthdesk.staff.models import User

from .factories import goal, held_training


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_assessments_of_one_participant_assess_once(world):
    enrolment = held_training(world).enrolments.first()

    def prepare():
        return Enrolment.objects.select_related("training", "person").get(pk=enrolment.pk), \
            User.objects.get(username="branch1_service")

    result = race(lambda p: services.enrolment_assess(actor=p[1], enrolment=p[0], score=80, comment="好"),
                  prepare=prepare)
    result.assert_one_winner(ValidationError)
    assert all("不能重复考核" in " ".join(e.messages) for e in result.errors)
    assert Enrolment.objects.get(pk=enrolment.pk).score == 80


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_reviews_of_one_quarter_record_once(world):
    g = goal(world)
    today = timezone.localdate()

    def prepare():
        return User.objects.get(username="head_c1"), User.objects.get(username="cm_c1_1")

    result = race(lambda p: services.career_review_record(
        actor=p[0], staff=p[1], year=g.year, quarter=services.quarter_of(today), held_on=today, progress="进展"),
        prepare=prepare)
    result.assert_one_winner(ValidationError)
    assert CareerReview.objects.filter(goal=g, status="held").count() == 1
