"""Writes of cases handed up and back (R5; branch service answers within its service level, R40).

open (at the center, with its subject and question) → hand up (to the sub-branch, branch or head office; a receiving
level may forward it further up) → take (someone at the holding level becomes its owner there) → answer (the
holding level sends it back to the center with the answer) → close (the center accepts the answer). The hand-up,
forward and answer are ``core.escalation``'s one mechanism (locked, one trail step and one audit row each)."""
from __future__ import annotations

import re

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wealthdesk.core import escalation
from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.concurrency import lock
from wealthdesk.core.deadlines import due_date
from wealthdesk.core.notifications import notify
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.staff.models import User

from .choices import DEADLINE_OF_LEVEL, SUBJECT_MODELS, CaseStatus, ServiceLevel, SubjectKind
from .models import Case

Kind = escalation.Kind
TARGET_KINDS = (UnitKind.SUBBRANCH, UnitKind.BRANCH2, UnitKind.BRANCH1, UnitKind.HEAD_OFFICE)
OPENERS = frozenset({Role.CENTER_HEAD, Role.TEAM_LEAD, Role.CLIENT_MANAGER})
ANSWER_ROLES = escalation.ANSWER_ROLES


def subject_of(user, kind: str, reference):
    """The case's subject, looked up through the subject's own scoping (``visible_to``): ``None`` if the user may
    not see it (the subject apps are not imported). ``reference`` is the id, or what people read: a customer's
    number (客户号), a complaint's number (TS20261201-00012)."""
    label = SUBJECT_MODELS.get(kind)
    if label is None:
        return None
    qs = apps.get_model(label).objects.visible_to(user)
    ref = str(reference or "").strip().upper()
    if kind == SubjectKind.CUSTOMER and ref and not ref.isdigit():
        return qs.filter(cif_no=ref).first()
    number = re.fullmatch(r"TS\d{8}-(\d+)", ref) if kind == SubjectKind.COMPLAINT else None
    if number:
        ref = number.group(1)
    if not ref.isdigit() or len(ref) > 15:
        return None
    return qs.filter(pk=int(ref)).first()


def targets_for(case: Case) -> list:
    return escalation.targets_for(case, TARGET_KINDS)


def _subject_center_id(subject) -> int | None:
    return getattr(subject, "center_id", None)


@transaction.atomic
def case_open(*, actor, subject_kind: str, subject_id, title: str, question: str,
              service_level: str = ServiceLevel.STANDARD, to_unit=None, note: str = "") -> Case:
    """A center's staff opens a case about a subject they can see; with ``to_unit`` it is handed up at once."""
    scope = scope_for(actor)
    if not scope.has(*OPENERS):
        raise PermissionDenied(_("只有理财中心的负责人、组长或客户经理可以发起上下联动事项。"))
    errors: dict[str, list[str]] = {}
    if actor.unit_id is None or actor.unit.kind != UnitKind.CENTER:
        errors["subject_id"] = [_("发起人须是理财中心的员工。")]
    if subject_kind not in SubjectKind.values:
        errors["subject_kind"] = [_("请选择事项类型（客户、投诉或问题）。")]
    subject = None if errors else subject_of(actor, subject_kind, subject_id)
    if not errors and (subject is None or _subject_center_id(subject) != actor.unit_id):
        errors["subject_id"] = [_("找不到该编号的%(kind)s，或不属于本中心。") % {"kind": SubjectKind(subject_kind).label}]
    if not (title or "").strip():
        errors["title"] = [_("请填写事项名称。")]
    if not (question or "").strip():
        errors["question"] = [_("请填写请求上级解决的问题。")]
    if service_level not in ServiceLevel.values:
        errors["service_level"] = [_("无效的服务等级。")]
    if errors:
        raise ValidationError(errors)
    case = Case(center_id=actor.unit_id, subject_kind=subject_kind,
                subject_type=ContentType.objects.get_for_model(type(subject)), subject_id=subject.pk,
                title=title.strip(), question=question.strip(), service_level=service_level, opened_by=actor,
                owner=actor, holder_unit_id=actor.unit_id, created_by=actor)
    case.full_clean()
    case.save()
    escalation.record_step(obj=case, kind=Kind.RAISE, actor=actor, from_unit=actor.unit,
                           note=SubjectKind(subject_kind).label)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=case,
                 detail={"subject": subject_kind, "subject_id": subject.pk})
    if to_unit is not None:
        case = case_hand_up(actor=actor, case=case, to_unit=to_unit, note=note)
    return case


@transaction.atomic
def case_hand_up(*, actor, case: Case, to_unit, note: str = "") -> Case:
    """The center hands the case up; a level holding it (its service staff) forwards it further up. The new level's
    answer is due by the service level's deadline, and nobody there owns it until someone takes it."""

    def prepare(locked: Case) -> None:
        if locked.status in (CaseStatus.ANSWERED, CaseStatus.CLOSED):
            raise ValidationError({"to_unit": [_("该事项已答复或办结，不能再上报。")]})
        if locked.status == CaseStatus.OPEN:
            if not (scope_for(actor).has(*OPENERS) and actor.unit_id == locked.center_id):
                raise PermissionDenied(_("只有本中心的员工可以上报此事项。"))
        elif actor.unit_id == locked.holder_unit_id and not scope_for(actor).has(*ANSWER_ROLES):
            raise PermissionDenied(_("您的岗位不能转报此事项。"))

    def apply(locked: Case) -> None:
        locked.status = CaseStatus.REFERRED
        locked.owner = None
        locked.due_on = due_date(DEADLINE_OF_LEVEL[locked.service_level], timezone.localdate())

    locked = escalation.hand_up(actor=actor, obj=case, to_unit=to_unit, target_kinds=TARGET_KINDS, note=note,
                                prepare=prepare, apply=apply)
    _notify_level(locked)
    return locked


def _notify_level(case: Case) -> None:
    people = User.objects.filter(unit_id=case.holder_unit_id, is_active=True,
                                 role_assignments__role__in=list(ANSWER_ROLES)).values_list("pk", flat=True)
    notify(recipients=set(people), text=_("收到下级上报的事项：%(title)s") % {"title": case.title},
           url=f"/cases/{case.pk}/", obj=case)


@transaction.atomic
def case_take(*, actor, case: Case) -> Case:
    """Someone at the level holding the case takes it: they own it at that level (one owner; the first wins)."""
    locked = lock(case)
    if locked.status != CaseStatus.REFERRED or actor.unit_id != locked.holder_unit_id:
        raise ValidationError({"owner": [_("只有当前处理机构可以受理此事项。")]})
    if not scope_for(actor).has(*ANSWER_ROLES):
        raise PermissionDenied(_("您的岗位不能受理此事项。"))
    if locked.owner_id is not None:
        raise ValidationError({"owner": [_("该事项已由%(who)s受理。") % {"who": locked.owner}]})
    locked.owner = actor
    locked.save(update_fields=["owner", "updated_at"])
    escalation.record_step(obj=locked, kind=Kind.NOTE, actor=actor, from_unit=locked.holder_unit,
                           note=_("受理（本级负责人）"))
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=locked, detail={"take": True})
    return locked


@transaction.atomic
def case_answer(*, actor, case: Case, answer: str) -> Case:
    """The holding level answers; the case goes back to the center, whose opener owns it again."""

    def prepare(locked: Case) -> None:
        if not scope_for(actor).has(*ANSWER_ROLES):
            raise PermissionDenied(_("只有收到上报的支行、分行或总行可以答复。"))
        if locked.owner_id not in (None, actor.pk):
            raise ValidationError({"answer": [_("该事项由%(who)s受理，只有受理人可以答复。") % {"who": locked.owner}]})

    def apply(locked: Case) -> None:
        locked.status = CaseStatus.ANSWERED
        locked.owner_id = locked.opened_by_id

    locked = escalation.send_back(actor=actor, obj=case, answer=answer, prepare=prepare, apply=apply)
    notify(recipients=[locked.opened_by_id], text=_("上级已答复：%(title)s") % {"title": locked.title},
           url=f"/cases/{locked.pk}/", obj=locked)
    return locked


@transaction.atomic
def case_close(*, actor, case: Case, note: str = "") -> Case:
    """The center accepts the answer (or closes a case it solved itself)."""
    locked = lock(case)
    if not (scope_for(actor).has(*OPENERS) and actor.unit_id == locked.center_id):
        raise PermissionDenied(_("只有本中心的员工可以办结此事项。"))
    if locked.status not in (CaseStatus.ANSWERED, CaseStatus.OPEN):
        raise ValidationError({"note": [_("只有已答复或本级处理中的事项可以办结。")]})
    if locked.status == CaseStatus.OPEN and not (note or "").strip():
        raise ValidationError({"note": [_("本级办结请填写办结说明。")]})
    locked.status = CaseStatus.CLOSED
    locked.closed_at = timezone.now()
    locked.close_note = (note or "").strip()
    locked.full_clean()
    locked.save()
    escalation.record_step(obj=locked, kind=Kind.FEEDBACK, actor=actor, from_unit=locked.center,
                           note=locked.close_note or _("已办结"))
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=locked, detail={"close": True})
    return locked
