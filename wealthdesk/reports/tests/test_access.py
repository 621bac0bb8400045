"""Permission matrix of every reports page and endpoint: client manager, head, sub-branch, branch, outsider center,
teller (wrong role → 403, out of scope → 404)."""
import pytest

from wealthdesk.core.submission import submission_submit
from wealthdesk.core.testing.permissions import AccessMatrix

from .helpers import center_report, monthly


@pytest.fixture
def world(world):
    world.draft = monthly(world)  # cm_c1_1's monthly report, a draft
    world.op = center_report(world)  # head_c1's operating report, submitted to the sub-branch
    submission_submit(actor=world.head_c1, report=world.op)
    return world


class TestReportList(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "subbranch1_service", "branch1_service", "cm_c2_1", "lobby_c1")
    forbidden = ("teller_c1", "advisor_1", "archivist_c1")

    def url(self, world):
        return "/reports/"


class TestDraftDetail(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "supervisor_c1")
    forbidden = ("teller_c1", "advisor_1")
    hidden = ("cm_c1_2", "cm_c2_1", "head_c2", "subbranch1_service", "branch1_service", "lobby_c1")

    def url(self, world):
        return f"/reports/{world.draft.pk}/"


class TestSubmittedCenterReportDetail(AccessMatrix):
    allowed = ("head_c1", "subbranch1_service", "branch1_service", "hq_service")
    forbidden = ("teller_c1",)
    hidden = ("cm_c1_1", "cm_c2_1", "head_c2")

    def url(self, world):
        return f"/reports/{world.op.pk}/"


class TestExport(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1")
    forbidden = ("teller_c1",)
    hidden = ("cm_c2_1", "head_c2", "subbranch1_service")

    def url(self, world):
        return f"/reports/{world.draft.pk}/export/"


class TestCreatePage(AccessMatrix):
    allowed = ("cm_c1_1", "cm_c2_1")
    forbidden = ("teller_c1", "head_c1", "subbranch1_service")

    def url(self, world):
        return "/reports/new/?kind=cm_monthly"


class TestLibrary(AccessMatrix):
    allowed = ("cm_c1_1", "cm_c2_1", "head_c2", "subbranch1_service", "branch1_service", "hq_service")
    forbidden = ("teller_c1", "lobby_c1", "advisor_1")

    def url(self, world):
        return "/reports/library/"


class TestBoard(AccessMatrix):
    allowed = ("head_c1", "subbranch1_service", "branch1_service", "hq_service", "supervisor_c1")
    forbidden = ("teller_c1", "cm_c1_1", "lobby_c1")

    def url(self, world):
        return "/core/submissions/"


class TestApiList(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c1", "subbranch1_service", "branch1_service", "cm_c2_1")
    forbidden = ("teller_c1", "advisor_1")

    def url(self, world):
        return "/api/v1/reports/"


class TestApiDetail(AccessMatrix):
    api = True
    allowed = ("head_c1", "subbranch1_service", "branch1_service")
    forbidden = ("teller_c1",)
    hidden = ("cm_c2_1", "head_c2", "cm_c1_1")

    def url(self, world):
        return f"/api/v1/reports/{world.op.pk}/"


class TestApiReceive(AccessMatrix):
    """Only the receiving unit receives: the center that wrote it is refused (403), outsiders never see it (404)."""

    api = True
    method = "post"
    allowed = ("subbranch1_service",)
    forbidden = ("teller_c1", "head_c1", "branch1_service")
    hidden = ("head_c2", "cm_c2_1")

    def url(self, world):
        return f"/api/v1/reports/{world.op.pk}/receive/"

    def payload(self, world):
        return {"comment": "已阅"}


class TestApiSubmit(AccessMatrix):
    api = True
    method = "post"
    allowed = ("cm_c1_1",)
    forbidden = ("teller_c1", "head_c1")
    hidden = ("cm_c1_2", "cm_c2_1", "head_c2", "subbranch1_service")

    def url(self, world):
        return f"/api/v1/reports/{world.draft.pk}/submit/"
