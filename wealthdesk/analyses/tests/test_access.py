"""Who reads the semiannual analyses (R36): the center head and the upper levels' service desks, for their unit's
subtree; a unit outside it answers 404; every other position 403 — pages, export and API alike."""
import pytest

from wealthdesk.core.testing.permissions import AccessMatrix

READERS = ("head_c1", "subbranch1_service", "branch1_service", "hq_service")
WRONG_ROLES = ("cm_c1_1", "lead_c1", "teller_c1", "lobby_c1", "archivist_c1", "auditor", "admin", "advisor_1",
               "quality_b1", "supervisor_c1")


class TestIndexAccess(AccessMatrix):
    allowed = READERS + ("head_c2",)
    forbidden = WRONG_ROLES

    def url(self, world):
        return "/analyses/"


class TestAnalysisOfCenterC1(AccessMatrix):
    allowed = READERS
    forbidden = WRONG_ROLES
    hidden = ("head_c2",)

    def url(self, world):
        return f"/analyses/risk/?unit={world.c1.pk}"


class TestExportOfCenterC1(AccessMatrix):
    allowed = READERS
    forbidden = WRONG_ROLES
    hidden = ("head_c2",)

    def url(self, world):
        return f"/analyses/contribution/export/?unit={world.c1.pk}"


class TestNarrativeWrite(AccessMatrix):
    """Only the unit's own head writes its narrative: the levels above read it (403 on write)."""

    allowed = ("head_c1",)
    forbidden = ("hq_service", "branch1_service", "cm_c1_1", "teller_c1")
    hidden = ("head_c2",)
    method = "post"
    ok_status = (302,)

    def url(self, world):
        return f"/analyses/groups/?unit={world.c1.pk}"

    def payload(self, world):
        return {"body": "客户结构稳定。"}


class TestApiOfCenterC1(AccessMatrix):
    allowed = READERS
    forbidden = ("cm_c1_1", "teller_c1", "auditor", "admin", "advisor_1", "archivist_c1")
    hidden = ("head_c2",)
    api = True

    def url(self, world):
        return f"/api/v1/analyses/?unit={world.c1.pk}&kind=groups"


@pytest.mark.django_db
def test_an_unknown_analysis_kind_is_not_found(login_as):
    client = login_as("head_c1")
    assert client.get("/analyses/nosuch/").status_code == 404
    assert client.get("/analyses/nosuch/export/").status_code == 404


@pytest.mark.django_db
def test_a_unit_id_that_is_not_a_number_is_not_found(login_as):
    client = login_as("hq_service")
    assert client.get("/analyses/risk/?unit=abc").status_code == 404
    assert client.get("/analyses/risk/?unit=99999999").status_code == 404
