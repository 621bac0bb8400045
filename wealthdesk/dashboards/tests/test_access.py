"""Who may open which dashboard (R1: each level sees its own subtree): the permission matrix for the page, the
export and the API, for the own unit and for a unit further down."""
from wealthdesk.core.testing.permissions import AccessMatrix

ALLOWED_AT_C1 = ("head_c1", "subbranch1_service", "branch1_service", "hq_service")
WRONG_ROLES = ("cm_c1_1", "lead_c1", "teller_c1", "lobby_c1", "archivist_c1", "advisor_1", "admin", "quality_b1")
OUTSIDERS_OF_C1 = ("head_c2",)


class TestOwnDashboardPage(AccessMatrix):
    allowed = ("head_c1", "head_c2", "subbranch1_service", "branch1_service", "hq_service")
    forbidden = WRONG_ROLES

    def url(self, world):
        return "/dashboards/"


class TestCenterDashboardPage(AccessMatrix):
    allowed = ALLOWED_AT_C1
    forbidden = WRONG_ROLES
    hidden = OUTSIDERS_OF_C1

    def url(self, world):
        return f"/dashboards/{world.c1.pk}/"


class TestBranchDashboardIsHiddenFromBelow(AccessMatrix):
    """An ancestor is outside one's subtree: a center head cannot open the sub-branch above."""

    allowed = ("subbranch1_service", "branch1_service", "hq_service")
    hidden = ("head_c1", "head_c2")

    def url(self, world):
        return f"/dashboards/{world.sub1.pk}/"


class TestDashboardExport(AccessMatrix):
    allowed = ALLOWED_AT_C1
    forbidden = WRONG_ROLES
    hidden = OUTSIDERS_OF_C1

    def url(self, world):
        return f"/dashboards/{world.c1.pk}/export/"


class TestDashboardApi(AccessMatrix):
    api = True
    allowed = ALLOWED_AT_C1
    forbidden = WRONG_ROLES
    hidden = OUTSIDERS_OF_C1

    def url(self, world):
        return f"/api/v1/dashboards/{world.c1.pk}/"


class TestOwnDashboardApi(AccessMatrix):
    api = True
    allowed = ("head_c1", "hq_service")
    forbidden = WRONG_ROLES

    def url(self, world):
        return "/api/v1/dashboards/"
