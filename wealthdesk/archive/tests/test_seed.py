"""Demo archive: documents that really decrypt to PDFs/PNGs, paper files some out and some overdue; idempotent."""
import datetime as dt

import pytest

from wealthdesk.archive import crypto, filetypes
from wealthdesk.archive.models import ArchiveDocument, PaperCheckout, PaperFile
from wealthdesk.archive.seed import seed
from wealthdesk.core.seeding import SeedContext

TODAY = dt.date(2026, 11, 27)


@pytest.mark.django_db
def test_demo_archive_is_encrypted_real_files_with_paper_files_out_and_overdue(world):
    ctx = SeedContext(size="small", seed=7, today=TODAY)
    seed(ctx)
    docs = list(ArchiveDocument.objects.all())
    assert docs and {d.customer.center_id for d in docs} >= {world.c1.pk}
    for doc in docs:
        data = crypto.decrypt(doc.content, customer_id=doc.customer_id)
        assert filetypes.sniff(data).key == doc.file_kind and len(data) == doc.size
    assert PaperFile.objects.filter(status="out").count() == PaperCheckout.objects.filter(returned_at=None).count()
    seed(ctx)  # idempotent
    assert ArchiveDocument.objects.count() == len(docs)
