"""Writes to complaints (DESIGN rule 2): keyword-only, atomic, validated with Chinese messages, audited.

Contract with the voice app (D1): ``complaint_create(*, actor, center, channel, category, content, customer=None,
complainant_name="", complainant_contact="", receiver=None, source="") -> Complaint`` — the opinion book turns
an opinion into a complaint with it.
"""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.concurrency import check_version, lock, save_versioned
from wealthdesk.core.deadlines import length as deadline_length
from wealthdesk.core.roles import CENTER_MANAGEMENT, FRONT_DESK, UPPER_LEVEL, Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.staff.models import User

from .choices import LogKind, Outcome, Satisfaction, Status
from .deadlines import due_date
from .models import Complaint, ComplaintLog

# R30: whoever receives a complaint records it.
RECORDERS = frozenset(FRONT_DESK | CENTER_MANAGEMENT | UPPER_LEVEL
                      | {Role.CLIENT_MANAGER, Role.BUSINESS_SUPERVISOR})
# R32: the owner, the center head, upper levels and the branch's quality manager handle a complaint.
HANDLER_ROLES = frozenset({Role.CENTER_HEAD} | UPPER_LEVEL)
UNIT_RECORDING_KINDS = (UnitKind.CENTER, UnitKind.OUTLET)


def default_owner(center) -> User | None:
    """R32: by default the head of the center that accepted the complaint."""
    return (User.objects.filter(unit=center, is_active=True, role_assignments__role=Role.CENTER_HEAD)
            .order_by("id").first())


def quality_manager_for(center) -> User | None:
    """The nearest quality manager above the center (the branch's, R32)."""
    ancestors = [p for p in _ancestor_paths(center.path)]
    candidates = (User.objects.filter(is_active=True, role_assignments__role=Role.QUALITY_MANAGER,
                                      unit__path__in=ancestors)
                  .select_related("unit").order_by("-unit__depth", "id"))
    return candidates.first()


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[:i]) + "/" for i in range(1, len(parts))]


def can_handle(actor, complaint: Complaint) -> bool:
    """The owner, the escalated quality manager, and the handler roles within whose subtree the complaint lies."""
    if actor.pk in (complaint.owner_id, complaint.escalated_to_id):
        return True
    scope = scope_for(actor)
    return scope.has(*HANDLER_ROLES) and bool(scope.unit_path) and complaint.center.path.startswith(scope.unit_path)


def _check_center(actor, center) -> None:
    scope = scope_for(actor)
    if center is None:
        raise ValidationError({"center": [_("请选择受理机构。")]})
    if center.kind not in UNIT_RECORDING_KINDS:
        raise ValidationError({"center": [_("受理机构必须是理财中心或营业网点。")]})
    if scope.unit_id == center.pk:
        return
    if scope.has(*UPPER_LEVEL) and scope.unit_path and center.path.startswith(scope.unit_path):
        return
    raise ValidationError({"center": [_("只能为本机构（或本辖内机构）受理投诉。")]})


def _log(complaint: Complaint, actor, kind: str, note: str) -> ComplaintLog:
    entry = ComplaintLog(complaint=complaint, kind=kind, note=note, created_by=actor)
    entry.full_clean()
    entry.save()
    return entry


def _require_handler(actor, complaint: Complaint) -> None:
    if not can_handle(actor, complaint):
        raise PermissionDenied(_("只有责任人、理财中心负责人或上级投诉管理人员可以处理此投诉。"))


def _require_open(complaint: Complaint) -> None:
    if complaint.status != Status.OPEN:
        raise ValidationError({"status": [_("投诉已办结，不能再修改。")]})


def _lock_open(actor, complaint: Complaint, version=None) -> None:
    """Every transition: re-read the complaint under the row lock, then check the handler, the state and the
    version the caller read (DESIGN rule 13). Concurrent calls queue on the lock and see each other's result."""
    lock(complaint)
    _require_handler(actor, complaint)
    _require_open(complaint)
    check_version(complaint, version)


@transaction.atomic
def complaint_create(*, actor, center, channel, category, content, customer=None, complainant_name="",
                     complainant_contact="", receiver=None, source="", received_on: dt.date | None = None,
                     owner=None) -> Complaint:
    """Record a complaint (R30) with its owner (default: the center head) and its deadline (R32).

    ``received_on`` defaults to today; the deadline is ``deadlines.due_date`` (calendar days, see there).
    """
    if not scope_for(actor).has(*RECORDERS):
        raise PermissionDenied(_("您的岗位无权受理投诉。"))
    _check_center(actor, center)
    if customer is not None and customer.center_id != center.pk:
        raise ValidationError({"customer": [_("客户不属于受理机构。")]})
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": [_("受理日期不能晚于今天。")]})
    owner = owner or default_owner(center) or actor
    due = due_date(received_on)
    complaint = Complaint(
        center=center, channel=channel, category=category, content=(content or "").strip(), customer=customer,
        complainant_name=(complainant_name or "").strip(), complainant_contact=(complainant_contact or "").strip(),
        receiver=receiver or actor, received_on=received_on, source=source, owner=owner, due_on=due,
        original_due_on=due, created_by=actor,
    )
    complaint.full_clean()
    complaint.save()
    _log(complaint, actor, LogKind.ACCEPTED,
         _("受理投诉，责任人：%(owner)s，答复期限：%(due)s") % {"owner": owner, "due": due.isoformat()})
    audit_record(actor=actor, action=AuditAction.CREATE, obj=complaint)
    return complaint


@transaction.atomic
def complaint_add_log(*, actor, complaint: Complaint, note: str, kind: str = LogKind.NOTE,
                      version: int | None = None) -> ComplaintLog:
    """Add a step to the handling log (the owner, the head, the quality manager)."""
    _lock_open(actor, complaint, version)
    if kind not in (LogKind.NOTE, LogKind.CONTACT):
        raise ValidationError({"kind": [_("处理记录类型只能是“处理记录”或“联系客户”。")]})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("请填写处理记录内容。")]})
    entry = _log(complaint, actor, kind, note)
    save_versioned(complaint, [])
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=complaint, detail={"log": kind})
    return entry


@transaction.atomic
def complaint_assign(*, actor, complaint: Complaint, owner: User | None, version: int | None = None) -> Complaint:
    """Name another owner (R32), a colleague of the complaint's unit or an upper-level handler above it."""
    _lock_open(actor, complaint, version)
    path = complaint.center.path
    if owner is None or not owner.is_active or owner.unit_id is None or not path.startswith(owner.unit.path):
        raise ValidationError({"owner": [_("责任人必须是受理机构或其上级机构的在职员工。")]})
    old = complaint.owner
    complaint.owner = owner
    complaint.full_clean()
    save_versioned(complaint, ["owner"])
    _log(complaint, actor, LogKind.ASSIGN, _("责任人由 %(old)s 变更为 %(new)s") % {"old": old, "new": owner})
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=complaint, detail={"owner": owner.pk})
    return complaint


@transaction.atomic
def complaint_extend(*, actor, complaint: Complaint, reason: str, days: int | None = None,
                     version: int | None = None) -> Complaint:
    """Extend the deadline once, for a complex case, with a recorded reason (R32).

    ``days`` counts working days from acceptance (``core.deadlines``); at most ``complaint.max_extended_days``
    (default: that maximum).
    """
    _lock_open(actor, complaint, version)
    limit = deadline_length("complaint.extended")
    errors: dict[str, list[str]] = {}
    if complaint.extended_at is not None:
        errors["due_on"] = [_("答复期限只能延长一次。")]
    reason = (reason or "").strip()
    if len(reason) < 4:
        errors["reason"] = [_("请填写延期原因（至少4个字），说明案情复杂之处。")]
    days = limit if days in (None, "") else days
    try:
        days = int(days)
    except (TypeError, ValueError):
        errors["days"] = [_("延长后的天数必须是整数。")]
    else:
        if days > limit:
            errors["days"] = [_("延长后的处理时限不能超过受理之日起 %(n)s 个工作日。") % {"n": limit}]
        elif due_date(complaint.received_on, days) <= complaint.due_on:
            errors["days"] = [_("延长后的期限必须晚于当前答复期限。")]
    if errors:
        raise ValidationError(errors)
    complaint.due_on = due_date(complaint.received_on, days)
    complaint.extended_at = timezone.now()
    complaint.extension_reason = reason
    complaint.full_clean()
    save_versioned(complaint, ["due_on", "extended_at", "extension_reason"])
    _log(complaint, actor, LogKind.EXTEND,
         _("答复期限延长至 %(due)s，原因：%(reason)s") % {"due": complaint.due_on.isoformat(), "reason": reason})
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=complaint, detail={"extended_to": str(complaint.due_on)})
    return complaint


@transaction.atomic
def complaint_escalate(*, actor, complaint: Complaint, reason: str, version: int | None = None) -> Complaint:
    """Escalate to the branch's quality manager (R32), who then sees and may handle it."""
    _lock_open(actor, complaint, version)
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("请填写上报原因。")]
    if complaint.escalated_to_id:
        errors["escalated_to"] = [_("此投诉已上报品质管理经理。")]
    manager = quality_manager_for(complaint.center)
    if manager is None and "escalated_to" not in errors:
        errors["escalated_to"] = [_("上级分行未设品质管理经理，无法上报。")]
    if errors:
        raise ValidationError(errors)
    complaint.escalated_to = manager
    complaint.escalated_at = timezone.now()
    save_versioned(complaint, ["escalated_to", "escalated_at"])
    _log(complaint, actor, LogKind.ESCALATE,
         _("上报品质管理经理 %(m)s，原因：%(reason)s") % {"m": manager, "reason": reason})
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=complaint, detail={"escalated_to": manager.pk})
    return complaint


@transaction.atomic
def complaint_close(*, actor, complaint: Complaint, resolution: str, outcome: str, satisfaction: str = "",
                    closed_on: dt.date | None = None, version: int | None = None) -> Complaint:
    """Close with a resolution, an outcome and the customer's satisfaction; without a resolution it is refused."""
    _lock_open(actor, complaint, version)
    errors = {}
    resolution = (resolution or "").strip()
    if not resolution:
        errors["resolution"] = [_("办结投诉必须填写处理结果。")]
    if outcome not in Outcome.values:
        errors["outcome"] = [_("请选择处理结论。")]
    if satisfaction and satisfaction not in Satisfaction.values:
        errors["satisfaction"] = [_("客户满意度的取值无效。")]
    closed_on = closed_on or timezone.localdate()
    if closed_on < complaint.received_on:
        errors["closed_on"] = [_("办结日期不能早于受理日期。")]
    if errors:
        raise ValidationError(errors)
    complaint.resolution = resolution
    complaint.outcome = outcome
    complaint.satisfaction = satisfaction or Satisfaction.UNKNOWN
    complaint.status = Status.CLOSED
    complaint.closed_on = closed_on
    complaint.closed_by = actor
    complaint.full_clean()
    save_versioned(complaint, ["resolution", "outcome", "satisfaction", "status", "closed_on", "closed_by"])
    _log(complaint, actor, LogKind.CLOSE, resolution)
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=complaint, detail={"closed": outcome})
    return complaint
