"""R28/R29 documents: type checked by content, size-capped, served as an attachment, each download audited; an ID
copy is masked in lists and its download is the audited reveal."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wealthdesk.archive import services
from wealthdesk.archive.models import ArchiveDocument
from wealthdesk.core.models import AuditLog
from wealthdesk.core.params import set_param

from .helpers import HTML_AS_PDF, ID_PNG, SIGNED, archive, upload


@pytest.mark.django_db
def test_an_html_file_renamed_pdf_is_refused_with_a_clear_message_and_nothing_is_stored(world):
    with pytest.raises(ValidationError) as exc:
        services.document_upload(actor=world.cm_c1_1, customer=world.cust_a, doc_type="signed_form", title="表单",
                                 upload=upload("form.pdf", HTML_AS_PDF))
    assert "只接受 PDF、PNG 或 JPEG" in exc.value.message_dict["file"][0]
    assert not ArchiveDocument.objects.exists()


@pytest.mark.django_db
def test_an_exe_is_refused(world):
    with pytest.raises(ValidationError):
        archive(world, data=b"MZ\x90\x00" + b"\x00" * 100)


@pytest.mark.django_db
def test_png_and_jpeg_are_recognised_by_their_bytes_whatever_the_name(world):
    png = services.document_upload(actor=world.cm_c1_1, customer=world.cust_a, doc_type="id_copy",
                                   title="身份证复印件", upload=upload("scan.pdf", ID_PNG))
    jpeg = archive(world, data=b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    assert (png.file_kind, png.content_type) == ("png", "image/png")
    assert (jpeg.file_kind, jpeg.content_type) == ("jpeg", "image/jpeg")


@pytest.mark.django_db
def test_the_size_cap_is_a_parameter(world):
    set_param("archive.max_upload_bytes", len(SIGNED) - 1)
    with pytest.raises(ValidationError) as exc:
        archive(world)
    assert "文件过大" in exc.value.message_dict["file"][0]
    set_param("archive.max_upload_bytes", len(SIGNED))
    assert archive(world).size == len(SIGNED)


@pytest.mark.django_db
def test_empty_file_is_refused(world):
    with pytest.raises(ValidationError):
        archive(world, data=b"")


@pytest.mark.django_db
def test_a_client_manager_cannot_upload_to_another_managers_customer(world):
    with pytest.raises(PermissionDenied):
        archive(world, customer=world.cust_a2)
    with pytest.raises(PermissionDenied):
        archive(world, actor=world.head_c1)  # the head reads, the manager and the keeper upload


@pytest.mark.django_db
def test_the_keeper_uploads_for_any_customer_of_the_center_and_it_is_audited(world):
    doc = archive(world, actor=world.archivist_c1, customer=world.cust_a2)
    row = AuditLog.objects.get(action="create", object_type="archive.archivedocument")
    assert row.customer_id == world.cust_a2.pk and row.detail["sha256"] == doc.sha256


@pytest.mark.django_db
def test_download_is_an_attachment_with_its_type_and_nosniff_and_is_audited(world, login_as):
    doc = archive(world)
    client = login_as("cm_c1_1")
    response = client.get(f"/archive/documents/{doc.pk}/download/")
    assert response.status_code == 200 and response.content == SIGNED
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    row = AuditLog.objects.filter(action="view", object_id=str(doc.pk), detail__what="archive_download").get()
    assert row.actor == world.cm_c1_1 and row.customer_id == world.cust_a.pk


@pytest.mark.django_db
def test_viewing_the_detail_page_is_audited(world, login_as):
    doc = archive(world)
    assert login_as("head_c1").get(f"/archive/documents/{doc.pk}/").status_code == 200
    assert AuditLog.objects.filter(action="view", object_id=str(doc.pk), detail__what="archive_document",
                                   actor=world.head_c1).exists()


@pytest.mark.django_db
def test_an_id_copy_is_masked_in_lists_and_its_download_needs_a_reason_and_is_a_reveal(world, login_as):
    doc = services.document_upload(actor=world.cm_c1_1, customer=world.cust_a, doc_type="id_copy",
                                   title=f"身份证 {world.cust_a.id_number}", upload=upload("id.png", ID_PNG))
    client = login_as("cm_c1_1")
    listing = client.get("/archive/").content.decode()
    assert world.cust_a.id_number not in listing and "身份证件复印件" in listing
    detail = client.get(f"/archive/documents/{doc.pk}/").content.decode()
    assert world.cust_a.id_number not in detail and f'href="/archive/documents/{doc.pk}/download/"' not in detail
    # GET does not serve it
    assert client.get(f"/archive/documents/{doc.pk}/download/").status_code == 302
    refused = client.post(f"/archive/documents/{doc.pk}/download/", {"reason": ""})
    assert refused.status_code == 400 and "请填写查看原因" in refused.content.decode()
    assert not AuditLog.objects.filter(action="reveal").exists()
    response = client.post(f"/archive/documents/{doc.pk}/download/", {"reason": "客户办理业务核对身份"})
    assert response.status_code == 200 and response.content == ID_PNG and response["Content-Type"] == "image/png"
    row = AuditLog.objects.get(action="reveal", object_id=str(doc.pk))
    assert row.detail["reason"] == "客户办理业务核对身份"


@pytest.mark.django_db
def test_upper_levels_read_the_metadata_but_never_the_content(world, login_as):
    doc = archive(world)
    client = login_as("hq_service")
    assert client.get(f"/archive/documents/{doc.pk}/").status_code == 200
    assert client.get(f"/archive/documents/{doc.pk}/download/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.document_open(actor=world.hq_service, document=doc)


@pytest.mark.django_db
def test_list_page_query_count_does_not_grow_with_rows(world, login_as, django_assert_max_num_queries):
    client = login_as("archivist_c1")
    archive(world)
    with django_assert_max_num_queries(14) as few:
        assert client.get("/archive/").status_code == 200
    for i in range(12):
        archive(world, actor=world.archivist_c1, customer=world.cust_a2 if i % 2 else world.cust_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/archive/").status_code == 200


@pytest.mark.django_db
def test_bad_query_parameter_is_a_400(world, login_as):
    assert login_as("cm_c1_1").get("/archive/?customer=abc").status_code == 400


@pytest.mark.django_db
def test_the_customer_page_shows_what_the_archive_holds(world, login_as):
    archive(world)
    body = login_as("cm_c1_1").get(f"/customers/{world.cust_a.pk}/").content.decode()
    panel = body.split('data-testid="archive-panel"')[1][:400]
    assert "<strong>1</strong>" in panel
    body = login_as("head_c1").get(f"/customers/{world.cust_a2.pk}/").content.decode()
    assert "尚未归档" in body


@pytest.mark.django_db
def test_the_archive_pages_speak_english_when_asked(world, login_as, restore_language):
    doc = archive(world)
    client = login_as("cm_c1_1")
    body = client.get("/archive/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Customer archive" in body and "Upload document" in body and "暂无档案资料" not in body
    body = client.get(f"/archive/documents/{doc.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Downloads are written to the audit log." in body
