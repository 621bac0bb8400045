"""20 simultaneous takes or answers of one case (R5; DESIGN rule 13): exactly one wins, one trail step."""
import pytest
from django.core.exceptions import ValidationError

from wealthdesk.cases import services
from wealthdesk.cases.models import Case
from wealthdesk.core import escalation
from wealthdesk.core.testing.races import race, requires_postgres
from wealthdesk.staff.models import User

from .factories import open_case


def _fresh(pk):
    return lambda: (Case.objects.get(pk=pk), User.objects.get(username="branch1_service"))


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_takes_give_one_owner(world):
    case = open_case(world, to_unit=world.branch1)
    result = race(lambda p: services.case_take(actor=p[1], case=p[0]), prepare=_fresh(case.pk))
    result.assert_one_winner(ValidationError)
    assert Case.objects.get(pk=case.pk).owner == world.branch1_service
    assert [s.kind for s in escalation.trail(case)].count("note") == 1


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_answers_send_the_case_back_once(world):
    case = open_case(world, to_unit=world.branch1)
    result = race(lambda p: services.case_answer(actor=p[1], case=p[0], answer="已协调"), prepare=_fresh(case.pk))
    result.assert_one_winner(ValidationError)
    assert Case.objects.get(pk=case.pk).status == "answered"
    assert [s.kind for s in escalation.trail(case)].count("answer") == 1
