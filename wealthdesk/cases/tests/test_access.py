"""Who may open the cases, joint-service and bulletin pages and API (DESIGN rules 1 and 9): in scope → 200, wrong
role → 403, another center / outside the subtree → 404."""
from wealthdesk.cases import bulletins
from wealthdesk.core.testing.permissions import AccessMatrix
from wealthdesk.customers.choices import Tier

from .factories import hq_manager, joint_team, referred

FRONT = ("teller_c1", "lobby_c1", "advisor_1", "expert_1", "admin")


def _issue(world):
    if "_issue" not in world.__dict__:
        issue = bulletins.issue_create(actor=world.hq_service, issue_no="T-1", title="专刊", articles=[("a", "b")])
        world.__dict__["_issue"] = bulletins.issue_publish(actor=world.hq_service, issue=issue,
                                                           tiers=[Tier.CORE], units=[world.branch1])
    return world.__dict__["_issue"]


class TestCaseList(AccessMatrix):
    allowed = ("head_c1", "cm_c1_1", "lead_c1", "subbranch1_service", "branch1_service", "hq_service", "head_c2")
    forbidden = FRONT

    def url(self, world):
        return "/cases/"


class TestCaseDetail(AccessMatrix):
    allowed = ("head_c1", "subbranch1_service", "branch1_service", "hq_service")
    forbidden = FRONT
    hidden = ("head_c2", "cm_c2_1", "cm_c1_2")

    def url(self, world):
        return f"/cases/{referred(world).pk}/"


class TestCaseCreate(AccessMatrix):
    allowed = ("head_c1", "cm_c1_1", "lead_c1")
    forbidden = ("branch1_service", "hq_service", *FRONT)

    def url(self, world):
        return "/cases/new/"


class TestCaseTake(AccessMatrix):
    method = "post"
    ok_status = (302,)
    allowed = ("branch1_service",)
    forbidden = FRONT
    hidden = ("head_c2",)

    def url(self, world):
        return f"/cases/{referred(world).pk}/take/"


class TestCaseApiDetail(AccessMatrix):
    api = True
    allowed = ("head_c1", "branch1_service", "hq_service")
    forbidden = FRONT
    hidden = ("head_c2", "cm_c2_1")

    def url(self, world):
        return f"/api/v1/cases/{referred(world).pk}/"


class TestJointList(AccessMatrix):
    allowed = ("cm_c2_1", "head_c2", "hq_service", "cm_c1_1")
    forbidden = ("teller_c1", "lobby_c1", "advisor_1", "expert_1")

    def url(self, world):
        return "/cases/joint/"


class TestJointDetail(AccessMatrix):
    allowed = ("cm_c2_1", "head_c2", "hq_service", "pb_hq_1")
    forbidden = ("teller_c1", "advisor_1")
    hidden = ("cm_c1_1", "head_c1", "branch1_service", "pb_hq_2")

    def url(self, world):
        hq_manager(world, "pb_hq_2")
        return f"/cases/joint/{joint_team(world).pk}/"


class TestJointCreate(AccessMatrix):
    allowed = ("hq_service",)
    forbidden = ("cm_c2_1", "head_c2", "branch1_service", "teller_c1")

    def url(self, world):
        return "/cases/joint/new/"


class TestJointApi(AccessMatrix):
    api = True
    allowed = ("cm_c2_1", "pb_hq_1")
    forbidden = ("teller_c1", "advisor_1")
    hidden = ("cm_c1_1", "head_c1")

    def url(self, world):
        return f"/api/v1/joint-teams/{joint_team(world).pk}/"


class TestIssueList(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "hq_service", "branch1_service", "cm_c2_1")
    forbidden = FRONT

    def url(self, world):
        return "/cases/bulletins/"


class TestIssueDetail(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "hq_service", "branch1_service", "subbranch1_service")
    forbidden = FRONT
    hidden = ("cm_c2_1", "head_c2")

    def url(self, world):
        return f"/cases/bulletins/{_issue(world).pk}/"


class TestIssueCreate(AccessMatrix):
    allowed = ("hq_service",)
    forbidden = ("cm_c1_1", "head_c1", "branch1_service", *FRONT)

    def url(self, world):
        return "/cases/bulletins/new/"


class TestRecipients(AccessMatrix):
    allowed = ("cm_c1_1", "cm_c1_2")
    forbidden = ("head_c1", "hq_service", *FRONT)
    hidden = ("cm_c2_1",)

    def url(self, world):
        return f"/cases/bulletins/{_issue(world).pk}/recipients/"


class TestBulletinApi(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "hq_service")
    forbidden = FRONT
    hidden = ("cm_c2_1",)

    def url(self, world):
        return f"/api/v1/bulletins/{_issue(world).pk}/"
