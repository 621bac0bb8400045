"""The demo data: this year's goals with quarterly reviews (some overdue), trainings by the branches and head office
with attendance and assessments; idempotent."""
import datetime as dt

import pytest

from wealthdesk.core.seeding import SeedContext
from wealthdesk.development import seed
from wealthdesk.development.models import CareerGoal, CareerReview, Enrolment, TrainingPlan

pytestmark = pytest.mark.django_db


def test_seed_builds_goals_reviews_and_trainings_once(world):
    today = dt.date(2026, 11, 27)
    ctx = SeedContext(size="small", seed=7, today=today)
    seed.seed(ctx)
    assert CareerGoal.objects.filter(staff=world.cm_c1_1, year=2026).exists()
    assert CareerReview.objects.overdue(today).exists()
    assert CareerReview.objects.filter(status="held").exists()
    assert set(TrainingPlan.objects.values_list("organizer__code", flat=True)) == {"B1", "B2", "HO"}
    assert Enrolment.objects.filter(score__isnull=False, training__organizer__code="HO").exists()
    assert TrainingPlan.objects.filter(status="planned", held_on__gt=today).exists()
    counts = (CareerGoal.objects.count(), TrainingPlan.objects.count(), Enrolment.objects.count())
    seed.seed(ctx)
    assert (CareerGoal.objects.count(), TrainingPlan.objects.count(), Enrolment.objects.count()) == counts
