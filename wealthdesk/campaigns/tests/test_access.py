"""Least privilege and scope for every campaign page, export and endpoint: the center's head and staff see it,
another center's staff get 404, positions without a part in campaigns get 403 (DESIGN rule 9)."""
from wealthdesk.campaigns.models import CampaignMember
from wealthdesk.core.testing.permissions import AccessMatrix

from .factories import make_campaign

OUTSIDERS = ("head_c2", "cm_c2_1")
WRONG_ROLES = ("teller_c1", "lobby_c1", "advisor_1", "auditor")


def _campaign(world):
    return make_campaign(world, status="running")


def _member(world, cm="cm_c1_1"):
    campaign = _campaign(world)
    return CampaignMember.objects.filter(campaign=campaign, client_manager=world.users[cm]).first()


class TestListAccess(AccessMatrix):
    allowed = ("head_c1", "cm_c1_1", "lead_c1", "head_c2", "branch1_service")
    forbidden = WRONG_ROLES

    def url(self, world):
        return "/campaigns/"


class TestDetailAccess(AccessMatrix):
    allowed = ("head_c1", "cm_c1_1", "lead_c1", "subbranch1_service", "branch1_service", "hq_service")
    forbidden = WRONG_ROLES
    hidden = OUTSIDERS

    def url(self, world):
        return f"/campaigns/{_campaign(world).pk}/"


class TestMembersAccess(TestDetailAccess):
    def url(self, world):
        return f"/campaigns/{_campaign(world).pk}/members/"


class TestExportAccess(TestDetailAccess):
    def url(self, world):
        return f"/campaigns/{_campaign(world).pk}/members/export/?format=xlsx"


class TestCreateAccess(AccessMatrix):
    allowed = ("head_c1", "lead_c1")
    forbidden = ("cm_c1_1", "teller_c1", "branch1_service", "auditor")

    def url(self, world):
        return "/campaigns/new/"


class TestEditAccess(AccessMatrix):
    allowed = ("head_c1", "lead_c1")
    forbidden = ("cm_c1_1", "teller_c1")
    hidden = ("head_c2",)

    def url(self, world):
        return f"/campaigns/{make_campaign(world).pk}/edit/"


class TestApproveAccess(AccessMatrix):
    """Approving is the head's; another center's head does not even see the campaign."""

    method = "post"
    ok_status = (302,)
    allowed = ("head_c1",)
    forbidden = ("cm_c1_1", "teller_c1")
    hidden = ("head_c2",)

    def url(self, world):
        return f"/campaigns/{make_campaign(world, status='submitted').pk}/do/approve/"


class TestCallAccess(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "lead_c1")
    forbidden = ("teller_c1", "branch1_service")
    hidden = ("cm_c1_2", "cm_c2_1", "head_c2")

    def url(self, world):
        return f"/campaigns/members/{_member(world).pk}/call/"


class TestFeedbackAccess(AccessMatrix):
    method = "post"
    ok_status = (302, 400)
    allowed = ("head_c1",)
    forbidden = ("lead_c1", "cm_c1_1")
    hidden = ("head_c2",)

    def url(self, world):
        return f"/campaigns/{make_campaign(world, status='ended').pk}/feedback/"

    def payload(self, world):
        return {"spent": "100"}


class TestQuotaAccess(AccessMatrix):
    allowed = ("head_c1", "lead_c1", "branch1_service", "hq_service")
    forbidden = ("cm_c1_1", "teller_c1", "auditor")

    def url(self, world):
        return "/campaigns/quota/"


class TestApiListAccess(AccessMatrix):
    api = True
    allowed = ("head_c1", "cm_c1_1", "branch1_service")
    forbidden = ("teller_c1", "advisor_1")

    def url(self, world):
        return "/api/v1/campaigns/"


class TestApiDetailAccess(AccessMatrix):
    api = True
    allowed = ("head_c1", "cm_c1_1", "hq_service")
    forbidden = ("teller_c1",)
    hidden = OUTSIDERS

    def url(self, world):
        return f"/api/v1/campaigns/{_campaign(world).pk}/"


class TestApiMembersAccess(TestApiDetailAccess):
    def url(self, world):
        return f"/api/v1/campaigns/{_campaign(world).pk}/members/"


class TestApiResultsAccess(TestApiDetailAccess):
    def url(self, world):
        return f"/api/v1/campaigns/{_campaign(world).pk}/results/"


class TestApiMemberAccess(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c1")
    forbidden = ("teller_c1",)
    hidden = ("cm_c1_2", "cm_c2_1", "head_c2")

    def url(self, world):
        return f"/api/v1/campaign-members/{_member(world).pk}/"


class TestApiApproveAccess(AccessMatrix):
    api = True
    method = "post"
    allowed = ("head_c1",)
    forbidden = ("cm_c1_1", "teller_c1")
    hidden = ("head_c2",)

    def url(self, world):
        return f"/api/v1/campaigns/{make_campaign(world, status='submitted').pk}/approve/"

    def payload(self, world):
        return {}


class TestApiCallAccess(AccessMatrix):
    api = True
    method = "post"
    allowed = ("cm_c1_1",)
    forbidden = ("teller_c1",)
    hidden = ("cm_c1_2", "head_c2")

    def url(self, world):
        return f"/api/v1/campaign-members/{_member(world).pk}/call/"

    def payload(self, world):
        return {"outcome": "contacted", "kind": "phone"}
