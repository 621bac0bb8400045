"""DESIGN rule 13 for needs questions and the opinion book: answer / told / close lock the row (20 real threads on
PostgreSQL, exactly one winner) and a stale version answers 409."""
import pytest
from django.core.exceptions import ValidationError

from wealthdesk.core.concurrency import Conflict
from wealthdesk.core.models import AuditLog
from wealthdesk.core.testing.races import race, requires_postgres
from wealthdesk.staff.models import User
from wealthdesk.voice import services
from wealthdesk.voice.choices import QuestionStatus
from wealthdesk.voice.models import NeedsQuestion

from .helpers import routed


def _fresh(pk, username):
    return lambda: (NeedsQuestion.objects.get(pk=pk), User.objects.get(username=username))


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_told_records_close_the_question_once(world):
    q = routed(world, "branch")
    services.question_answer(actor=world.users["branch1_service"], question=q, answer="可以按日计息")
    result = race(lambda p: services.question_tell(actor=p[1], question=p[0]), prepare=_fresh(q.pk, "cm_c1_1"))
    result.assert_one_winner(ValidationError)
    assert AuditLog.objects.filter(object_type__icontains="needsquestion", object_id=str(q.pk),
                                   detail__has_key="told_on").count() == 1


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_answers_with_the_version_read_keep_one_answer(world):
    q = routed(world, "branch")
    turn = iter(range(100))

    def answer(p):
        return services.question_answer(actor=p[1], question=p[0], answer=f"答复{next(turn)}", version=p[0].version)

    result = race(answer, prepare=_fresh(q.pk, "branch1_service"))
    result.assert_one_winner(Conflict)
    fresh = NeedsQuestion.objects.get(pk=q.pk)
    assert fresh.status == QuestionStatus.ANSWERED and fresh.answer == result.winners[0].answer


@pytest.mark.django_db
def test_a_stale_answer_is_refused_after_the_customer_was_told(world, api_as):
    q = routed(world, "branch")
    api = api_as("branch1_service")
    read = api.get(f"/api/v1/needs-questions/{q.pk}/").json()["version"]
    assert api.post(f"/api/v1/needs-questions/{q.pk}/answer/", {"answer": "可以", "version": read},
                    format="json").status_code == 200
    stale = api.post(f"/api/v1/needs-questions/{q.pk}/answer/", {"answer": "覆盖", "version": read}, format="json")
    assert stale.status_code == 409 and "已被他人修改" in stale.json()["version"][0]
    assert NeedsQuestion.objects.get(pk=q.pk).answer == "可以"
