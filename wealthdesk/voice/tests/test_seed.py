"""Demo data: 90 days of needs cards with questions (some overdue), surveys with valid responses, opinions and
last month's submitted summaries; running the seed twice adds nothing."""
import pytest
from django.utils import timezone

from wealthdesk.core.seeding import SeedContext
from wealthdesk.voice import seed, services
from wealthdesk.voice.models import NeedsCard, NeedsQuestion, NeedsSummary, Opinion, SurveyResponse

pytestmark = pytest.mark.django_db


def test_seed_fills_ninety_days_and_is_idempotent(world):
    today = timezone.localdate()
    seed.seed(SeedContext(size="small", seed=7, today=today))
    cards = NeedsCard.objects.all()
    assert cards.count() > 20 and all((today - c.card_date).days <= 90 for c in cards)
    assert NeedsQuestion.objects.overdue(today).exists()
    assert NeedsQuestion.objects.filter(route="on_spot").exists()
    assert SurveyResponse.objects.exists() and Opinion.objects.exists()
    assert NeedsSummary.objects.filter(status="submitted").count() == 2
    for response in SurveyResponse.objects.select_related("survey"):  # every seeded answer passes the type check
        for question in response.survey.questions.all():
            value = response.answers.get(str(question.pk))
            if value is not None:
                services.surveys.clean_answer(question, value)
    count = NeedsCard.objects.count()
    seed.seed(SeedContext(size="small", seed=7, today=today))
    assert NeedsCard.objects.count() == count
