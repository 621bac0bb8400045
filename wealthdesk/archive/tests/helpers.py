"""Shared helpers for the archive tests: upload a demo file, register a paper file."""
from django.core.files.uploadedfile import SimpleUploadedFile

from wealthdesk.archive import services
from wealthdesk.archive.demo_files import tiny_pdf, tiny_png

SIGNED = tiny_pdf("signed form of customer A")
ID_PNG = tiny_png()
HTML_AS_PDF = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def upload(name: str, data: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def archive(world, *, actor=None, customer=None, doc_type="signed_form", data=SIGNED, title="理财业务申请书"):
    return services.document_upload(actor=actor or world.cm_c1_1, customer=customer or world.cust_a,
                                    doc_type=doc_type, title=title, upload=upload("form.pdf", data))


def paper(world, *, customer=None, reference="ZD-0001"):
    from wealthdesk.archive.models import PaperFile

    existing = PaperFile.objects.filter(reference=reference).first()
    if existing is not None:
        return existing
    return services.paper_file_create(actor=world.archivist_c1, customer=customer or world.cust_a,
                                      reference=reference, description="开户资料", location="1号柜")
