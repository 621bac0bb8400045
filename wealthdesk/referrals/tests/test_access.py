"""Who may open each referral page and API endpoint (R16, R17; DESIGN rules 1 and 9).

A referral made by ``teller_c1`` for ``cust_a`` goes to ``cm_c1_1`` (the responsible client manager).
Its referrer sees it; another teller does not (404); the client manager, the team lead, the center head and
upper levels see it; an outsider center sees nothing (404).
"""
import pytest

from wealthdesk.core.testing.permissions import AccessMatrix

from .helpers import refer

READERS_OK = ("teller_c1", "cm_c1_1", "lead_c1", "head_c1", "subbranch1_service", "branch1_service", "hq_service")
NO_REFERRAL_ROLE = ("archivist_c1", "advisor_1", "admin", "supervisor_c1", "auditor")
OUTSIDERS = ("teller2_c1", "lobby_c1", "cm_c1_2", "head_c2", "cm_c2_1")


def the_referral(world):
    if "referral" not in world.__dict__:
        world.__dict__["referral"] = refer(world, mobile=world.cust_a.mobile)
    return world.__dict__["referral"]


class TestReferralFormPage(AccessMatrix):
    allowed = ("teller_c1", "teller2_c1", "lobby_c1")
    forbidden = ("cm_c1_1", "head_c1", "archivist_c1", "admin", "hq_service")

    def url(self, world):
        return "/referrals/new/"


class TestReferralFormSubmit(AccessMatrix):
    method = "post"
    ok_status = (302,)
    allowed = ("teller_c1", "teller2_c1", "lobby_c1")
    forbidden = ("cm_c1_1", "head_c1", "admin")

    def url(self, world):
        return "/referrals/new/"

    def payload(self, world):
        return {"lookup_kind": "mobile", "lookup_value": "", "prospect_name": "赵新", "prospect_mobile": "13700001111",
                "signal": "asks_investment", "urgency": "normal", "needs_follow_up": "on", "confirm_duplicate": "on"}


class TestLookupEndpoint(AccessMatrix):
    method = "post"
    allowed = ("teller_c1", "lobby_c1")
    forbidden = ("cm_c1_1", "head_c1", "admin", "advisor_1")

    def url(self, world):
        return "/referrals/lookup/"

    def payload(self, world):
        return {"lookup_kind": "mobile", "lookup_value": world.cust_a.mobile}


class TestReferralListPage(AccessMatrix):
    allowed = READERS_OK + OUTSIDERS
    forbidden = NO_REFERRAL_ROLE

    def url(self, world):
        return "/referrals/"


class TestReferralDetailPage(AccessMatrix):
    allowed = READERS_OK
    forbidden = NO_REFERRAL_ROLE
    hidden = OUTSIDERS

    def url(self, world):
        return f"/referrals/{the_referral(world).pk}/"


class TestAcceptAction(AccessMatrix):
    method = "post"
    ok_status = (302,)
    allowed = ("cm_c1_1",)
    forbidden = ("teller_c1", "head_c1", "lead_c1", "admin")
    hidden = ("cm_c1_2", "cm_c2_1")

    def url(self, world):
        return f"/referrals/{the_referral(world).pk}/accept/"


class TestStatsPage(AccessMatrix):
    allowed = ("head_c1", "lead_c1", "lobby_c1", "subbranch1_service", "branch1_service", "hq_service", "head_c2")
    forbidden = ("teller_c1", "teller2_c1", "cm_c1_1", "archivist_c1", "admin", "advisor_1")

    def url(self, world):
        return "/referrals/stats/"


class TestStatsDrillDownOutsideSubtree(AccessMatrix):
    allowed = ("hq_service", "branch1_service")
    forbidden = ("teller_c1", "cm_c1_1")
    hidden = ("head_c2", "head_c1")

    def url(self, world):
        return f"/referrals/stats/?unit={world.sub1.pk}"


class TestStatsExport(AccessMatrix):
    allowed = ("head_c1", "lobby_c1", "hq_service")
    forbidden = ("teller_c1", "cm_c1_1", "admin")

    def url(self, world):
        return "/referrals/stats/export/?period=month&date=2026-11-01"


class TestRulePage(AccessMatrix):
    allowed = ("head_c1", "head_c2")
    forbidden = ("lead_c1", "cm_c1_1", "teller_c1", "hq_service", "admin")

    def url(self, world):
        return "/referrals/rule/"


class TestReferralApiList(AccessMatrix):
    api = True
    allowed = READERS_OK + OUTSIDERS
    forbidden = NO_REFERRAL_ROLE

    def url(self, world):
        return "/api/v1/referrals/"


class TestReferralApiDetail(AccessMatrix):
    api = True
    allowed = READERS_OK
    forbidden = NO_REFERRAL_ROLE
    hidden = OUTSIDERS

    def url(self, world):
        return f"/api/v1/referrals/{the_referral(world).pk}/"


class TestReferralApiCreate(AccessMatrix):
    api = True
    method = "post"
    ok_status = (201,)
    allowed = ("teller_c1", "teller2_c1", "lobby_c1")
    forbidden = ("cm_c1_1", "head_c1", "admin", "auditor")

    def url(self, world):
        return "/api/v1/referrals/"

    def payload(self, world):
        return {"prospect_name": "钱多", "prospect_mobile": "13700002222", "signal": "large_deposit",
                "confirm_duplicate": True}


class TestReferralApiLookup(AccessMatrix):
    api = True
    method = "post"
    allowed = ("teller_c1", "lobby_c1")
    forbidden = ("cm_c1_1", "head_c1", "admin")

    def url(self, world):
        return "/api/v1/referrals/lookup/"

    def payload(self, world):
        return {"lookup_kind": "id_number", "lookup_value": world.cust_a.id_number}


class TestReferralApiConvert(AccessMatrix):
    api = True
    method = "post"
    allowed = ("cm_c1_1",)
    forbidden = ("teller_c1", "head_c1", "hq_service")
    hidden = ("cm_c1_2", "cm_c2_1")

    def url(self, world):
        return f"/api/v1/referrals/{the_referral(world).pk}/convert/"

    def payload(self, world):
        return {"amount": "80000"}


class TestReferralStatsApi(AccessMatrix):
    api = True
    allowed = ("head_c1", "lead_c1", "lobby_c1", "hq_service", "head_c2")
    forbidden = ("teller_c1", "cm_c1_1", "admin")
    hidden = ()

    def url(self, world):
        return "/api/v1/referral-stats/?period=day&date=2026-11-27"


@pytest.mark.django_db
def test_referral_api_rows_carry_id_and_are_paginated(api_as, world):
    referral = the_referral(world)
    body = api_as("teller_c1").get("/api/v1/referrals/").json()
    assert body["count"] == 1 and body["results"][0]["id"] == referral.pk
