"""Demo data: 6+ campaigns per center in every state, call lists with a holdout, campaign contacts, computed
feedback; every other center short of the yearly quota; a second run adds nothing."""
import pytest
from django.utils import timezone

from wealthdesk.campaigns import seed, selectors
from wealthdesk.campaigns.choices import CampaignStatus
from wealthdesk.campaigns.models import Campaign, CampaignMember
from wealthdesk.contacts.models import ContactRecord
from wealthdesk.core.seeding import SeedContext

from .factories import add_customers

pytestmark = pytest.mark.django_db


def test_demo_campaigns_cover_every_state_with_lists_contacts_holdout_and_feedback(world):
    add_customers(world, 40)
    today = timezone.localdate()
    ctx = SeedContext(size="small", seed=7, today=today)
    seed.seed(ctx)
    c1 = Campaign.objects.filter(center=world.c1)
    assert c1.count() >= 6 and Campaign.objects.filter(center=world.c2).count() >= 6
    assert set(c1.values_list("status", flat=True)) == set(CampaignStatus.values)
    assert CampaignMember.objects.filter(campaign__center=world.c1, is_holdout=True).exists()
    assert ContactRecord.objects.filter(source__startswith="campaign:").exists()
    evaluated = c1.filter(status=CampaignStatus.EVALUATED).first()
    assert evaluated.results["uplift"] and evaluated.grade
    assert CampaignMember.objects.filter(campaign__status=CampaignStatus.RUNNING, client_manager=world.cm_c1_1,
                                         call_status="pending", is_holdout=False).exists()
    quotas = [selectors.center_quota(c.pk, today) for c in (world.c1, world.c2)]
    assert quotas[0]["short"] == 0 and quotas[1]["short"] > 0
    before = Campaign.objects.count()
    seed.seed(ctx)
    assert Campaign.objects.count() == before
