"""DESIGN rule 13 for campaigns: twenty heads' approvals of one submitted plan at once (real threads on
PostgreSQL) approve it once, with one audit row; twenty starts build the call list once."""
import pytest
from django.core.exceptions import ValidationError

from wealthdesk.campaigns import services
from wealthdesk.campaigns.models import Campaign, CampaignMember
from wealthdesk.core.models import AuditLog
from wealthdesk.core.testing.races import race, requires_postgres
from wealthdesk.staff.models import User

from .factories import make_campaign

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


def _fresh(pk):
    return lambda: (Campaign.objects.get(pk=pk), User.objects.get(username="head_c1"))


def test_twenty_concurrent_approvals_approve_once(world):
    campaign = make_campaign(world, status="submitted")
    result = race(lambda p: services.campaign_approve(actor=p[1], campaign=p[0]), prepare=_fresh(campaign.pk))
    result.assert_one_winner(ValidationError)
    assert Campaign.objects.get(pk=campaign.pk).status == "approved"
    assert AuditLog.objects.filter(object_type="campaigns.campaign", object_id=str(campaign.pk),
                                   detail__status="approved").count() == 1


def test_twenty_concurrent_starts_build_one_call_list(world):
    campaign = make_campaign(world, status="approved")
    result = race(lambda p: services.campaign_start(actor=p[1], campaign=p[0]), prepare=_fresh(campaign.pk))
    result.assert_one_winner(ValidationError)
    assert CampaignMember.objects.filter(campaign=campaign).count() == 2
