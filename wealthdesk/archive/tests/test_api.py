"""The archive API: multipart upload (bad input: a clear message per field, nothing stored), list, download,
check out / check in (R28, R29)."""
import pytest

from wealthdesk.archive.models import ArchiveDocument, PaperFile
from wealthdesk.core.models import AuditLog

from .helpers import HTML_AS_PDF, SIGNED, archive, paper, upload


@pytest.mark.django_db
def test_upload_by_multipart_then_list_and_download(world, api_as):
    api = api_as("cm_c1_1")
    response = api.post("/api/v1/archive-documents/", {"customer": world.cust_a.pk, "doc_type": "signed_form",
                                                       "title": "理财业务申请书", "file": upload("a.pdf", SIGNED)},
                        format="multipart")
    assert response.status_code == 201, response.content
    doc_id = response.json()["id"]
    listed = api.get("/api/v1/archive-documents/").json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == doc_id and listed["results"][0]["can_download"]
    assert "content" not in listed["results"][0]
    download = api.get(f"/api/v1/archive-documents/{doc_id}/download/")
    assert download.status_code == 200 and download.content == SIGNED
    assert download["Content-Disposition"].startswith("attachment;") and download["X-Content-Type-Options"] == "nosniff"
    assert AuditLog.objects.filter(action="view", detail__what="archive_download", object_id=str(doc_id)).exists()


@pytest.mark.django_db
def test_bad_uploads_name_the_field_and_store_nothing(world, api_as):
    api = api_as("cm_c1_1")
    html = api.post("/api/v1/archive-documents/", {"customer": world.cust_a.pk, "doc_type": "signed_form",
                                                   "title": "表单", "file": upload("a.pdf", HTML_AS_PDF)},
                    format="multipart")
    assert html.status_code == 400 and "只接受 PDF、PNG 或 JPEG" in html.json()["file"][0]
    other = api.post("/api/v1/archive-documents/", {"customer": world.cust_b.pk, "doc_type": "nonsense",
                                                    "title": "", "file": upload("a.pdf", SIGNED)}, format="multipart")
    assert other.status_code == 400 and {"customer", "doc_type", "title"} <= set(other.json())
    assert not ArchiveDocument.objects.exists()


@pytest.mark.django_db
def test_an_id_copy_download_needs_a_reason(world, api_as):
    doc = archive(world, doc_type="id_copy", title="身份证复印件")
    api = api_as("cm_c1_1")
    refused = api.get(f"/api/v1/archive-documents/{doc.pk}/download/")
    assert refused.status_code == 400 and "reason" in refused.json()
    assert api.get(f"/api/v1/archive-documents/{doc.pk}/download/", {"reason": "核对身份"}).status_code == 200
    assert AuditLog.objects.filter(action="reveal", object_id=str(doc.pk)).count() == 1


@pytest.mark.django_db
def test_check_out_and_in_through_the_api(world, api_as):
    p = paper(world)
    api = api_as("archivist_c1")
    bad = api.post(f"/api/v1/paper-files/{p.pk}/check-out/", {"holder": world.cm_c2_1.pk, "purpose": "调阅"},
                   format="json")
    assert bad.status_code == 400 and "本理财中心" in bad.json()["holder"][0]
    unknown = api.post(f"/api/v1/paper-files/{p.pk}/check-out/", {"holder": world.cm_c1_1.pk, "purpose": "调阅",
                                                                  "extra": 1}, format="json")
    assert unknown.status_code == 400 and "extra" in unknown.json()
    out = api.post(f"/api/v1/paper-files/{p.pk}/check-out/", {"holder": world.cm_c1_1.pk, "purpose": "客户回访"},
                   format="json")
    assert out.status_code == 200 and out.json()["status"] == "out" and out.json()["holder"] == world.cm_c1_1.pk
    assert api.get("/api/v1/paper-files/?status=out").json()["count"] == 1
    assert api.get("/api/v1/paper-files/?status=bogus").status_code == 400
    stale = api.post(f"/api/v1/paper-files/{p.pk}/check-in/", {"version": 1}, format="json")
    assert stale.status_code == 409
    back = api.post(f"/api/v1/paper-files/{p.pk}/check-in/", {"version": 2}, format="json")
    assert back.status_code == 200 and back.json()["status"] == "in"
    assert PaperFile.objects.get(pk=p.pk).status == "in"
