"""DESIGN rule 13 on PostgreSQL: twenty experts of the branch press "take" on the same queued consultation at
once — exactly one wins, the others are refused because it is taken."""
import pytest
from django.core.exceptions import ValidationError

from wealthdesk.core.testing.races import race, requires_postgres
from wealthdesk.experts import services
from wealthdesk.experts.choices import ConsultationStatus, ExpertKind
from wealthdesk.experts.models import Consultation, PoolMember
from wealthdesk.staff.models import StaffRole, User

from .factories import ask

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


def test_twenty_experts_take_one_consultation_and_one_wins(world):
    c = ask(world)
    experts = [world.expert_1]
    for i in range(19):
        user = User.objects.create(username=f"expert_race_{i}", full_name=f"专家{i}", unit=world.branch1)
        StaffRole.objects.create(user=user, role="financial_expert")
        services.member_add(actor=world.branch1_service, user=user, kind=ExpertKind.EXPERT, unit=world.branch1,
                            specialties=["funds"])
        experts.append(user)
    queue = list(experts)

    def prepare():
        return queue.pop(), Consultation.objects.get(pk=c.pk)

    result = race(lambda prepared: services.consultation_take(actor=prepared[0], consultation=prepared[1]),
                  prepare=prepare)
    result.assert_one_winner(ValidationError)
    c.refresh_from_db()
    assert c.status == ConsultationStatus.TAKEN and c.version == 2
    assert PoolMember.objects.filter(pk=c.expert_id, user__in=experts).exists()
    assert all("已由其他专家接单" in m for m in result.messages())
