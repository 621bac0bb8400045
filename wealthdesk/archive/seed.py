"""Demo archive: small generated PDFs (and a PNG ID copy) for part of each center's customers, every customer of
``cm_c1_1`` but a few (so the departures list has something when a book is handed over), and paper files in each
center's cabinet — some checked out, some overdue (R29). Bulk inserts; the files are encrypted as on upload."""
from __future__ import annotations

import datetime as dt
import hashlib

from django.utils import timezone

from wealthdesk.core.calendar import add_working_days
from wealthdesk.core.roles import Role
from wealthdesk.core.seeding import SeedContext
from wealthdesk.customers.models import Customer
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import User

from . import crypto, filetypes
from .choices import DocumentType, PaperFileStatus
from .demo_files import tiny_pdf, tiny_png
from .models import ArchiveDocument, PaperCheckout, PaperFile

DOCS_PER_CENTER = 30
PAPER_PER_CENTER = 12
TITLES = {DocumentType.SIGNED_FORM: "理财业务申请书（签字）", DocumentType.RISK_ASSESSMENT: "客户风险承受能力评估问卷",
          DocumentType.CONTRACT: "理财产品销售协议", DocumentType.ID_COPY: "居民身份证复印件"}
PURPOSES = ["客户回访核对签字", "补充风险评估", "合规检查抽查", "客户办理业务调阅"]


def seed(ctx: SeedContext) -> None:
    if ArchiveDocument.objects.exists() or PaperFile.objects.exists():
        ctx.log("    archive already present")
        return
    rng, today = ctx.rng, ctx.today
    key, kid = crypto.current_key(), crypto.key_id()
    types = list(DocumentType.values)
    docs: list[ArchiveDocument] = []
    papers: list[PaperFile] = []
    for center in OrgUnit.objects.centers().order_by("id"):
        customers = list(Customer.objects.filter(center=center, client_manager__isnull=False)
                         .order_by("id").values_list("id", "client_manager_id")[:DOCS_PER_CENTER + PAPER_PER_CENTER])
        if not customers:
            continue
        keeper = User.objects.filter(unit=center, role_assignments__role=Role.ARCHIVE_KEEPER).first()
        for i, (cid, cm_id) in enumerate(customers[:DOCS_PER_CENTER]):
            doc_type = types[i % len(types)]
            data = tiny_png() if doc_type == DocumentType.ID_COPY else tiny_pdf(f"WealthDesk demo archive {cid}-{i}")
            kind = filetypes.sniff(data)
            docs.append(ArchiveDocument(customer_id=cid, doc_type=doc_type, title=TITLES[doc_type],
                                        file_kind=kind.key, content_type=kind.content_type, size=len(data),
                                        sha256=hashlib.sha256(data).hexdigest(), key_id=kid,
                                        content=crypto.encrypt(data, customer_id=cid, key=key),
                                        uploaded_by_id=cm_id, created_by_id=cm_id))
        holders = list(User.objects.filter(unit=center, is_active=True, role_assignments__role=Role.CLIENT_MANAGER)
                       .values_list("id", flat=True))
        for j, (cid, _cm) in enumerate(customers[-PAPER_PER_CENTER:]):
            paper = PaperFile(customer_id=cid, center=center, reference=f"ZD-{center.pk:03d}-{j + 1:04d}",
                              description="开户资料及签约文件", location=f"{j // 6 + 1}号柜第{j % 6 + 1}层",
                              created_by=keeper)
            if holders and keeper and j % 3 != 2:
                days_out = rng.choice([1, 2, 9, 12]) if j % 3 == 0 else 1
                out_day = today - dt.timedelta(days=days_out)
                paper.status, paper.holder_id = PaperFileStatus.OUT, holders[j % len(holders)]
                paper.out_since = timezone.make_aware(dt.datetime.combine(out_day, dt.time(10, 0)))
                paper.due_back_on, paper.purpose = add_working_days(out_day, 5), PURPOSES[j % len(PURPOSES)]
                paper._seed_keeper = keeper.pk
            papers.append(paper)
    ArchiveDocument.objects.bulk_create(docs, batch_size=500)
    PaperFile.objects.bulk_create(papers, batch_size=500)
    loans = [PaperCheckout(paper_file=p, center_id=p.center_id, holder_id=p.holder_id, out_at=p.out_since,
                           due_back_on=p.due_back_on, purpose=p.purpose, checked_out_by_id=p._seed_keeper,
                           created_by_id=p._seed_keeper)
             for p in papers if p.status == PaperFileStatus.OUT]
    PaperCheckout.objects.bulk_create(loans, batch_size=500)
    overdue = sum(1 for p in papers if p.status == PaperFileStatus.OUT and p.due_back_on < today)
    ctx.log(f"    archive: {len(docs)} documents, {len(papers)} paper files ({len(loans)} out, {overdue} overdue)")
