"""Permission matrix of every archive page and endpoint (DESIGN rule 9): wrong role 403, out of scope 404."""
import pytest

from wealthdesk.core.testing.permissions import AccessMatrix

from .helpers import archive, paper

CENTER_READERS = ("cm_c1_1", "head_c1", "archivist_c1", "lead_c1", "hq_service", "branch1_service")
WRONG = ("teller_c1", "lobby_c1", "advisor_1", "auditor", "admin")


class TestDocumentList(AccessMatrix):
    allowed = CENTER_READERS + ("cm_c2_1",)
    forbidden = WRONG

    def url(self, world):
        return "/archive/"


class TestDocumentDetail(AccessMatrix):
    allowed = CENTER_READERS
    forbidden = WRONG
    hidden = ("cm_c2_1", "head_c2", "cm_c1_2")

    def url(self, world):
        return f"/archive/documents/{archive(world).pk}/"


class TestDocumentDownload(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "archivist_c1", "lead_c1")
    forbidden = WRONG + ("hq_service", "branch1_service")
    hidden = ("cm_c2_1", "head_c2", "cm_c1_2")

    def url(self, world):
        return f"/archive/documents/{archive(world).pk}/download/"


class TestUploadPage(AccessMatrix):
    allowed = ("cm_c1_1", "archivist_c1")
    forbidden = WRONG + ("head_c1", "hq_service")

    def url(self, world):
        return "/archive/upload/"


class TestPaperList(AccessMatrix):
    allowed = CENTER_READERS
    forbidden = WRONG

    def url(self, world):
        return "/archive/paper/"


class TestPaperDetail(AccessMatrix):
    allowed = CENTER_READERS
    forbidden = WRONG
    hidden = ("cm_c2_1", "head_c2", "cm_c1_2")

    def url(self, world):
        return f"/archive/paper/{paper(world).pk}/"


class TestPaperCreatePage(AccessMatrix):
    allowed = ("archivist_c1",)
    forbidden = WRONG + ("head_c1", "cm_c1_1")

    def url(self, world):
        return "/archive/paper/new/"


class TestDepartures(AccessMatrix):
    allowed = ("archivist_c1", "head_c1", "head_c2")
    forbidden = WRONG + ("cm_c1_1", "hq_service")

    def url(self, world):
        return "/archive/departures/"


class TestDocumentApiDetail(AccessMatrix):
    api = True
    allowed = CENTER_READERS
    forbidden = WRONG
    hidden = ("cm_c2_1", "head_c2", "cm_c1_2")

    def url(self, world):
        return f"/api/v1/archive-documents/{archive(world).pk}/"


class TestDocumentApiDownload(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c1", "archivist_c1")
    forbidden = WRONG + ("hq_service",)
    hidden = ("cm_c2_1", "head_c2")

    def url(self, world):
        return f"/api/v1/archive-documents/{archive(world).pk}/download/"


class TestPaperApiDetail(AccessMatrix):
    api = True
    allowed = CENTER_READERS
    forbidden = WRONG
    hidden = ("cm_c2_1", "head_c2", "cm_c1_2")

    def url(self, world):
        return f"/api/v1/paper-files/{paper(world).pk}/"


class TestPaperApiCheckOut(AccessMatrix):
    api = True
    method = "post"
    allowed = ("archivist_c1",)
    forbidden = WRONG + ("cm_c1_1", "head_c1")
    hidden = ("cm_c2_1", "head_c2")

    def url(self, world):
        self._paper = paper(world)
        return f"/api/v1/paper-files/{self._paper.pk}/check-out/"

    def payload(self, world):
        return {"holder": world.cm_c1_1.pk, "purpose": "客户回访核对签字"}


@pytest.mark.django_db
def test_outsiders_see_no_rows_in_the_api_lists(world, api_as):
    archive(world)
    paper(world)
    for name in ("cm_c2_1", "head_c2", "cm_c1_2"):
        assert api_as(name).get("/api/v1/archive-documents/").json()["count"] == 0
        assert api_as(name).get("/api/v1/paper-files/").json()["count"] == 0
