"""Writes of the customer archive (DESIGN rule 2): keyword-only, atomic, validated, audited (R28, R29)."""
from __future__ import annotations

import datetime as dt
import hashlib

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.concurrency import check_version, lock, save_versioned
from wealthdesk.core.deadlines import due_date
from wealthdesk.core.notifications import notify
from wealthdesk.core.params import get_param
from wealthdesk.core.reveal import check_reveal_cap
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.customers.models import Customer

from . import crypto, filetypes
from .choices import DocumentType, PaperFileStatus
from .models import ArchiveDocument, PaperCheckout, PaperFile
from .roles import CONTENT_READERS, KEEPERS, UPLOADERS


def max_upload_bytes() -> int:
    return int(get_param("archive.max_upload_bytes"))


def _read_upload(upload) -> bytes:
    """The uploaded bytes, refusing an empty file or one above the cap before reading it whole."""
    if upload is None:
        raise ValidationError({"file": [_("请选择要上传的文件。")]})
    cap = max_upload_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > cap:
        raise ValidationError({"file": [_("文件过大：%(size)s 字节，上限为 %(cap)s 字节。") % {"size": size, "cap": cap}]})
    data = upload.read(cap + 1)
    if len(data) > cap:
        raise ValidationError({"file": [_("文件过大：上限为 %(cap)s 字节。") % {"cap": cap}]})
    if not data:
        raise ValidationError({"file": [_("文件为空。")]})
    return data


@transaction.atomic
def document_upload(*, actor, customer: Customer, doc_type: str, title: str, upload) -> ArchiveDocument:
    """Back a customer's material up to the archive (R29): the client manager for their own customers, the keeper
    for the center's. The file must really be a PDF, PNG or JPEG (by its first bytes) and within the size cap; it
    is stored encrypted (R28)."""
    if not scope_for(actor).has(*UPLOADERS):
        raise PermissionDenied(_("您的岗位无权上传客户档案。"))
    if not Customer.objects.visible_to(actor).filter(pk=customer.pk).exists():
        raise PermissionDenied(_("该客户不在您的管辖范围内。"))
    data = _read_upload(upload)
    kind = filetypes.sniff(data[:16])
    if kind is None:
        raise ValidationError({"file": [_("文件类型不符：只接受 PDF、PNG 或 JPEG 文件（按文件内容判断，与文件名无关）。")]})
    digest = hashlib.sha256(data).hexdigest()
    document = ArchiveDocument(customer=customer, doc_type=doc_type, title=(title or "").strip(), file_kind=kind.key,
                               content_type=kind.content_type, size=len(data), sha256=digest,
                               key_id=crypto.key_id(), content=crypto.encrypt(data, customer_id=customer.pk),
                               uploaded_by=actor, created_by=actor)
    document.full_clean(exclude=["content"])
    document.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=document, customer_id=customer.pk,
                 unit_id=customer.center_id,
                 detail={"what": "archive_upload", "doc_type": doc_type, "kind": kind.key, "size": len(data),
                         "sha256": digest})
    return document


def can_read_content(actor, document: ArchiveDocument) -> bool:
    """Content (download) only for the center's people who hold or serve the customer; upper levels read the
    metadata only (``roles``). The document must be in the actor's scope (the caller found it through
    ``visible_to``)."""
    scope = scope_for(actor)
    if not scope.has(*CONTENT_READERS):
        return False
    if scope.has(Role.CENTER_HEAD, Role.ARCHIVE_KEEPER, Role.TEAM_LEAD):
        return True
    return document.customer.client_manager_id == actor.pk


def document_open(*, actor, document: ArchiveDocument, reason: str = "") -> bytes:
    """The decrypted bytes of a document for its download, audited. An ID copy is a reveal (R28): it needs a
    reason, counts against the daily reveal cap and writes a reveal row."""
    if not ArchiveDocument.objects.visible_to(actor).filter(pk=document.pk).exists():
        raise PermissionDenied(_("该资料不在您的管辖范围内。"))
    if not can_read_content(actor, document):
        raise PermissionDenied(_("您的岗位只能查看档案目录，不能下载档案内容。"))
    reason = (reason or "").strip()
    if document.is_id_copy:
        if len(reason) < 2:
            raise ValidationError({"reason": [_("下载身份证件复印件须填写查看原因（至少 2 个字）。")]})
        if len(reason) > 200:
            raise ValidationError({"reason": [_("查看原因最多 200 个字。")]})
        check_reveal_cap(actor=actor, customer_id=document.customer_id)
    blob = ArchiveDocument.objects.filter(pk=document.pk).values_list("content", flat=True).get()
    data = crypto.decrypt(blob, customer_id=document.customer_id)
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise crypto.DecryptionFailed("archive document digest mismatch")
    action = AuditAction.REVEAL if document.is_id_copy else AuditAction.VIEW
    detail = {"what": "archive_download", "doc_type": document.doc_type, "sha256": document.sha256}
    if reason:
        detail["reason"] = reason
    audit_record(actor=actor, action=action, obj=document, customer_id=document.customer_id,
                 unit_id=document.customer.center_id, detail=detail)
    return data


# --- Paper files ------------------------------------------------------------------------------------------------

def _require_keeper(actor, center_id: int) -> None:
    scope = scope_for(actor)
    if not scope.has(*KEEPERS):
        raise PermissionDenied(_("只有档案保管员可以办理纸质档案。"))
    if actor.unit_id != center_id:
        raise PermissionDenied(_("只能办理本理财中心的纸质档案。"))


@transaction.atomic
def paper_file_create(*, actor, customer: Customer, reference: str, description: str = "",
                      location: str = "") -> PaperFile:
    """Register a customer's paper file in the keeper's cabinet (R29)."""
    if not Customer.objects.visible_to(actor).filter(pk=customer.pk).exists():
        raise PermissionDenied(_("该客户不在您的管辖范围内。"))
    _require_keeper(actor, customer.center_id)
    reference = (reference or "").strip()
    if PaperFile.objects.filter(center_id=customer.center_id, reference=reference).exists():
        raise ValidationError({"reference": [_("档案编号 %(ref)s 在本中心已存在。") % {"ref": reference}]})
    paper = PaperFile(customer=customer, center_id=customer.center_id, reference=reference,
                      description=(description or "").strip(), location=(location or "").strip(), created_by=actor)
    paper.full_clean()
    paper.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=paper, customer_id=customer.pk,
                 unit_id=paper.center_id, detail={"what": "paper_file_create", "reference": reference})
    return paper


@transaction.atomic
def paper_file_check_out(*, actor, paper_file: PaperFile, holder, purpose: str,
                         due_back_on: dt.date | None = None, version=None) -> PaperCheckout:
    """Check a paper file out to a person of the center (R29): who, when, due back (``archive.paper_return``
    working days unless the keeper sets an earlier or later day), why. Locked: of two keepers checking the same
    file out at once, one wins and the other is told it is already out."""
    _require_keeper(actor, paper_file.center_id)
    lock(paper_file)
    check_version(paper_file, version)
    if paper_file.status != PaperFileStatus.IN:
        raise ValidationError({"status": [_("该纸质档案已借出，须先归还才能再次借出。")]})
    errors = {}
    user_model = get_user_model()
    if holder is None:
        errors["holder"] = [_("请选择借阅人。")]
    elif not user_model.objects.filter(pk=holder.pk, unit_id=paper_file.center_id, is_active=True).exists():
        errors["holder"] = [_("借阅人须为本理财中心在岗人员。")]
    purpose = (purpose or "").strip()
    if len(purpose) < 2:
        errors["purpose"] = [_("请填写借阅用途（至少 2 个字）。")]
    today = timezone.localdate()
    if due_back_on is None:
        due_back_on = due_date("archive.paper_return", today)
    elif due_back_on < today:
        errors["due_back_on"] = [_("应归还日期不能早于今天。")]
    elif due_back_on > today + dt.timedelta(days=int(get_param("archive.max_loan_days"))):
        errors["due_back_on"] = [_("借阅期限最长 %(n)s 天。") % {"n": get_param("archive.max_loan_days")}]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    checkout = PaperCheckout(paper_file=paper_file, center_id=paper_file.center_id, holder=holder, out_at=now,
                             due_back_on=due_back_on, purpose=purpose, checked_out_by=actor, created_by=actor)
    checkout.full_clean()
    checkout.save()
    paper_file.status, paper_file.holder, paper_file.out_since = PaperFileStatus.OUT, holder, now
    paper_file.due_back_on, paper_file.purpose = due_back_on, purpose
    save_versioned(paper_file, ["status", "holder", "out_since", "due_back_on", "purpose"])
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=paper_file, customer_id=paper_file.customer_id,
                 unit_id=paper_file.center_id,
                 detail={"what": "paper_file_check_out", "holder": holder.pk, "due_back_on": due_back_on.isoformat()})
    if holder.pk != actor.pk:
        notify(recipients=[holder], obj=paper_file, url=f"/archive/paper/{paper_file.pk}/",
               text=_("纸质档案 %(ref)s 已借给您，请于 %(due)s 前归还。") % {
                   "ref": paper_file.reference, "due": due_back_on.isoformat()})
    return checkout


@transaction.atomic
def paper_file_check_in(*, actor, paper_file: PaperFile, version=None) -> PaperCheckout:
    """Check a paper file back in (R29): the open loan is closed with the time and the keeper."""
    _require_keeper(actor, paper_file.center_id)
    lock(paper_file)
    check_version(paper_file, version)
    if paper_file.status != PaperFileStatus.OUT:
        raise ValidationError({"status": [_("该纸质档案在库，无需归还。")]})
    checkout = PaperCheckout.objects.select_for_update().get(paper_file=paper_file, returned_at__isnull=True)
    checkout.returned_at, checkout.checked_in_by = timezone.now(), actor
    checkout.save(update_fields=["returned_at", "checked_in_by", "updated_at"])
    late = checkout.returned_at.date() > checkout.due_back_on
    paper_file.status, paper_file.holder, paper_file.out_since = PaperFileStatus.IN, None, None
    paper_file.due_back_on, paper_file.purpose = None, ""
    save_versioned(paper_file, ["status", "holder", "out_since", "due_back_on", "purpose"])
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=paper_file, customer_id=paper_file.customer_id,
                 unit_id=paper_file.center_id,
                 detail={"what": "paper_file_check_in", "checkout": checkout.pk, "late": late})
    return checkout


@transaction.atomic
def paper_files_remind_overdue(*, today: dt.date) -> int:
    """Remind the holder of every overdue paper file and the center's keepers, once a day (R29)."""
    overdue = list(PaperCheckout.objects.select_for_update(of=("self",))
                   .filter(returned_at__isnull=True, due_back_on__lt=today)
                   .exclude(reminded_on=today).select_related("paper_file"))
    if not overdue:
        return 0
    user_model = get_user_model()
    keepers: dict[int, list[int]] = {}
    for uid, unit_id in user_model.objects.filter(
            unit_id__in={c.center_id for c in overdue}, is_active=True,
            role_assignments__role=Role.ARCHIVE_KEEPER).values_list("id", "unit_id"):
        keepers.setdefault(unit_id, []).append(uid)
    for checkout in overdue:
        paper = checkout.paper_file
        text = _("纸质档案 %(ref)s 已逾期未还（应于 %(due)s 归还），请尽快归还档案保管员。") % {
            "ref": paper.reference, "due": checkout.due_back_on.isoformat()}
        notify(recipients=[checkout.holder_id, *keepers.get(checkout.center_id, [])], text=text, obj=paper,
               url=f"/archive/paper/{paper.pk}/")
    PaperCheckout.objects.filter(pk__in=[c.pk for c in overdue]).update(reminded_on=today)
    audit_record(actor=None, action=AuditAction.CHANGE,
                 detail={"what": "paper_file_overdue_reminders", "rows": len(overdue), "day": today.isoformat()})
    return len(overdue)


__all__ = ["document_upload", "document_open", "can_read_content", "paper_file_create", "paper_file_check_out",
           "paper_file_check_in", "paper_files_remind_overdue", "DocumentType"]
