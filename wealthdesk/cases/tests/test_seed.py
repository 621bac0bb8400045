"""Demo data: cases handed up and back across three levels and in every state, private-banking joint teams with
plans, two published bulletin issues with recipients, the branch's market reports; a second run adds nothing."""
import pytest
from django.utils import timezone

from wealthdesk.cases import seed
from wealthdesk.cases.choices import CaseStatus
from wealthdesk.cases.models import BulletinIssue, BulletinReceipt, Case, JointPlanItem, JointTeam, MarketInfoReport
from wealthdesk.core import escalation
from wealthdesk.core.seeding import SeedContext
from wealthdesk.customers.models import Customer

pytestmark = pytest.mark.django_db


def test_demo_data_covers_every_state_and_a_second_run_adds_nothing(world):
    ctx = SeedContext(size="small", seed=7, today=timezone.localdate())
    seed.seed(ctx)
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    closed = Case.objects.get(status=CaseStatus.CLOSED)
    hands = [s.to_unit.kind for s in escalation.trail(closed) if s.kind in ("hand_up", "forward")]
    assert hands == ["subbranch", "branch1", "head_office"]
    assert Case.objects.filter(status=CaseStatus.REFERRED, due_on__lt=timezone.localdate()).exists()
    team = JointTeam.objects.get()
    assert team.customer == world.cust_b and JointPlanItem.objects.filter(team=team).count() == 2
    assert Customer.objects.visible_to(team.hq_manager).get() == world.cust_b
    assert BulletinIssue.objects.filter(status="published").count() == 2 and BulletinReceipt.objects.exists()
    assert MarketInfoReport.objects.filter(status="received").count() == 1
    counts = [Case.objects.count(), JointTeam.objects.count(), BulletinIssue.objects.count(),
              MarketInfoReport.objects.count()]
    seed.seed(ctx)
    assert counts == [Case.objects.count(), JointTeam.objects.count(), BulletinIssue.objects.count(),
                      MarketInfoReport.objects.count()]
