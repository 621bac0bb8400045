"""The permission matrix of every page, export and endpoint (R33, R34): a client manager sees only their own
targets and their own line of the sheet, the head the center's, upper levels their subtree; another center's staff
get 404, positions without a part in it 403."""
from wealthdesk.core.testing.permissions import AccessMatrix

from .helpers import data

OUTSIDE_ROLES = ("advisor_1", "archivist_c1", "auditor", "quality_b1")


class TestTargetList(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "teller_c1", "lobby_c1", "branch1_service", "hq_service")
    forbidden = OUTSIDE_ROLES

    def url(self, world):
        return "/targets/"


class TestTargetDetail(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "subbranch1_service", "branch1_service")
    forbidden = ("advisor_1", "archivist_c1")
    hidden = ("cm_c1_2", "teller_c1", "cm_c2_1", "head_c2")

    def url(self, world):
        return f"/targets/{data(world)['mine'].pk}/"


class TestPlanPage(AccessMatrix):
    allowed = ("head_c1", "branch1_service", "hq_service")
    forbidden = ("cm_c1_1", "teller_c1", "advisor_1")

    def url(self, world):
        return "/targets/plan/"


class TestIndicatorList(AccessMatrix):
    allowed = ("head_c1", "hq_service")
    forbidden = ("cm_c1_1", "teller_c1", "advisor_1")

    def url(self, world):
        return "/targets/indicators/"


class TestIndicatorCreate(AccessMatrix):
    allowed = ("hq_service",)
    forbidden = ("head_c1", "branch1_service", "cm_c1_1")

    def url(self, world):
        return "/targets/indicators/new/"


class TestSheetList(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "teller_c1", "branch1_service")
    forbidden = OUTSIDE_ROLES

    def url(self, world):
        return "/targets/sheets/"


class TestSheetDetail(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "teller_c1", "branch1_service", "hq_service")
    forbidden = ("advisor_1", "archivist_c1")
    hidden = ("cm_c2_1", "head_c2")

    def url(self, world):
        return f"/targets/sheets/{data(world)['sheet'].pk}/"


class TestStaffSheet(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "branch1_service")
    forbidden = ("advisor_1",)
    hidden = ("cm_c1_2", "teller_c1", "cm_c2_1", "head_c2")

    def url(self, world):
        return f"/targets/sheets/{data(world)['sheet'].pk}/staff/{world.cm_c1_1.pk}/"


class TestRecords(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "branch1_service")
    forbidden = ("advisor_1",)
    hidden = ("cm_c1_2", "cm_c2_1", "head_c2")

    def url(self, world):
        return f"/targets/sheets/{data(world)['sheet'].pk}/staff/{world.cm_c1_1.pk}/records/contacts/"


class TestSheetExport(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "branch1_service")
    forbidden = ("advisor_1", "archivist_c1")
    hidden = ("cm_c2_1", "head_c2")

    def url(self, world):
        return f"/targets/sheets/{data(world)['sheet'].pk}/export/"


class TestApiTargets(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c1", "branch1_service")
    forbidden = ("advisor_1", "archivist_c1")

    def url(self, world):
        return "/api/v1/targets/"


class TestApiTargetDetail(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c1")
    forbidden = ("advisor_1",)
    hidden = ("cm_c1_2", "cm_c2_1", "head_c2")

    def url(self, world):
        return f"/api/v1/targets/{data(world)['mine'].pk}/"


class TestApiSplit(AccessMatrix):
    api = True
    method = "post"
    allowed = ("head_c1",)
    forbidden = ("advisor_1",)
    hidden = ("cm_c1_1", "cm_c2_1", "head_c2")

    def url(self, world):
        return f"/api/v1/targets/{data(world)['targets']['contacts'].pk}/split/"

    def payload(self, world):
        return {"parts": {str(world.cm_c1_1.pk): "10", str(world.cm_c1_2.pk): "5", str(world.lead_c1.pk): "5"},
                "reason": "按客户数重新分配"}


class TestApiSheets(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c1", "branch1_service")
    forbidden = ("advisor_1",)

    def url(self, world):
        return "/api/v1/performance-sheets/"


class TestApiSheetDetail(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c1", "teller_c1")
    forbidden = ("advisor_1",)
    hidden = ("cm_c2_1", "head_c2")

    def url(self, world):
        return f"/api/v1/performance-sheets/{data(world)['sheet'].pk}/"
