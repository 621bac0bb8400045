"""State changes of export requests (GB/T 35273 §7.1; JR/T 0171; issue 15): ask, approve, refuse, download once.

Every step writes an audit row (refused attempts too: action ``denied``); every transition re-reads the request
under ``select_for_update`` so that of concurrent approvals one wins and of concurrent downloads one file leaves.
"""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.concurrency import check_version, lock, save_versioned
from wealthdesk.core.exports import approval_threshold
from wealthdesk.core.notifications import notify
from wealthdesk.core.params import get_param

from . import replay, rules
from .choices import RequestStatus
from .models import ExportRequest

MAX_TEXT = 500


class DownloadRefused(Exception):
    """The approved file cannot be downloaded (again): the message says why, ``status`` is 403 or 410."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message, self.status = message, status


def _text(value, field: str, label: str, *, required: bool) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        raise ValidationError({field: [_("%(label)s：必填。") % {"label": label}]})
    if len(text) > MAX_TEXT:
        raise ValidationError({field: [_("%(label)s：最多 %(n)s 个字。") % {"label": label, "n": MAX_TEXT}]})
    return text


def _denied(actor, req, reason: str, **detail) -> None:
    audit_record(actor=actor, action=AuditAction.DENIED, obj=req, unit_id=req.unit_id,
                 detail={"export_request": req.pk, "reason": reason, **detail})


def _detail_url(req) -> str:
    return reverse("exportcontrol:detail", args=[req.pk])


def request_export(request, *, actor, url, reason) -> ExportRequest:
    """Ask for an export above the threshold: what it holds is read from the export itself (not from the form)."""
    reason = _text(reason, "reason", _("导出理由"), required=True)
    if not actor.unit_id:
        raise ValidationError({"url": [_("导出链接：您没有所属机构，无法申请。")]})
    found = replay.probe(request, url, actor)
    if not found.customer_data:
        raise ValidationError({"url": [_("导出链接：该导出不含客户数据，可直接下载，无需审批。")]})
    threshold = approval_threshold()
    if found.rows <= threshold:
        raise ValidationError({"url": [_("导出链接：该导出只有 %(rows)s 行（不超过 %(n)s 行），可直接下载，无需审批。")
                                       % {"rows": found.rows, "n": threshold}]})
    req = ExportRequest(requester=actor, unit_id=actor.unit_id, title=found.title.strip("《》")[:200],
                        url=replay.clean_url(url), filters=found.filters, rows=found.rows, reason=reason)
    approvers = list(rules.approvers_of(req))
    if not approvers:
        raise ValidationError({"url": [_("导出链接：没有可审批您的导出申请的人员，请联系上级机构。")]})
    with transaction.atomic():
        req.save()
        audit_record(actor=actor, action=AuditAction.CREATE, obj=req, unit_id=req.unit_id,
                     detail={"export": req.title, "rows": req.rows, "filters": req.filters, "reason": reason,
                             "threshold": threshold})
        notify(recipients=approvers, url=_detail_url(req), obj=req,
               text=_("%(who)s 申请导出《%(title)s》（%(rows)s 行），请审批。") % {
                   "who": str(actor), "title": req.title, "rows": req.rows})
    return req


def decide(*, actor, req: ExportRequest, approve: bool, comment="", version=None) -> ExportRequest:
    """Approve or refuse (a refusal needs a comment). Self-approval and a wrong approver: 403, audited."""
    comment = _text(comment, "comment", _("审批意见"), required=not approve)
    if actor.pk == req.requester_id:
        _denied(actor, req, "self_approval")
        raise PermissionDenied(_("不能审批本人的导出申请。"))
    if not rules.may_decide(actor, req):
        _denied(actor, req, "not_approver")
        raise PermissionDenied(_("您不是该导出申请的审批人。"))
    with transaction.atomic():
        lock(req)
        check_version(req, version)
        if req.status != RequestStatus.PENDING:
            raise ValidationError({"status": [_("状态：该申请已处理（%(status)s），不能再审批。")
                                              % {"status": req.get_status_display()}]})
        now = timezone.now()
        req.status = RequestStatus.APPROVED if approve else RequestStatus.REFUSED
        req.decided_by, req.decided_at, req.comment = actor, now, comment
        if approve:
            req.download_until = now + dt.timedelta(hours=float(get_param("export.download_hours")))
        save_versioned(req, ["status", "decided_by", "decided_at", "comment", "download_until"])
        audit_record(actor=actor, action=AuditAction.CHANGE, obj=req, unit_id=req.unit_id,
                     detail={"export_request": req.pk, "decision": req.status, "comment": comment,
                             "download_until": req.download_until.isoformat() if req.download_until else None})
        text = (_("您申请导出的《%(title)s》已批准，请在 %(until)s 前下载（仅可下载一次）。") % {
                    "title": req.title, "until": timezone.localtime(req.download_until).strftime("%Y-%m-%d %H:%M")}
                if approve else _("您申请导出的《%(title)s》未获批准：%(comment)s") % {
                    "title": req.title, "comment": comment})
        notify(recipients=[req.requester_id], text=text, url=_detail_url(req), obj=req)
    return req


def _download_problem(req) -> tuple[str, int] | None:
    if req.status == RequestStatus.PENDING:
        return _("该申请尚未批准，不能下载。"), 403
    if req.status == RequestStatus.REFUSED:
        return _("该申请未获批准，不能下载。"), 403
    if req.downloaded_at is not None:
        return _("该文件已下载过一次，不能再次下载；如需再次导出，请重新申请。"), 410
    if req.download_until is None or timezone.now() > req.download_until:
        return _("已超过下载时限，不能下载；如需导出，请重新申请。"), 410
    return None


def download(request, *, actor, req: ExportRequest):
    """The approved file, once, within the window, for the requester only (``DownloadRefused`` otherwise)."""
    if actor.pk != req.requester_id:
        _denied(actor, req, "not_requester")
        raise DownloadRefused(_("只有申请人本人可以下载该文件。"), 403)
    with transaction.atomic():
        lock(req)
        problem = _download_problem(req)
        if problem is None:
            response = replay.serve(request, req.url, actor, req.pk)
            req.downloaded_at, req.status = timezone.now(), RequestStatus.DOWNLOADED
            req.export_id = response.get("X-Export-Id", "")[:32]
            save_versioned(req, ["downloaded_at", "status", "export_id"])
            audit_record(actor=actor, action=AuditAction.CHANGE, obj=req, unit_id=req.unit_id,
                         detail={"export_request": req.pk, "downloaded": True, "export_id": req.export_id,
                                 "rows": int(response.get("X-Export-Rows", 0) or 0)})
            return response
    _denied(actor, req, "download", status=req.status)
    raise DownloadRefused(*problem)
