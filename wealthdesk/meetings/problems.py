"""Writes of problems and their escalation with the feedback deadline (R12).

raised (by a client manager, in a daily log, a huddle or a meeting) → collected by the head → solved at the center
(discussed at its meeting) or handed up to the sub-branch or branch (``core.escalation``), which answers or hands it
further up → the head tells the raisers the result within ``problem.feedback_days`` working days of the answer."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wealthdesk.core import escalation
from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.deadlines import due_date as deadline_due
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.worklogs.choices import HelpStatus
from wealthdesk.worklogs.models import HelpRequest

from .choices import AWAITING_FEEDBACK, TEAM_KINDS, ProblemSource, ProblemStatus
from .models import Huddle, Meeting, Problem

Kind = escalation.Kind
TARGET_KINDS = (UnitKind.SUBBRANCH, UnitKind.BRANCH2, UnitKind.BRANCH1)
ANSWER_ROLES = escalation.ANSWER_ROLES


def is_head_of(actor, problem: Problem) -> bool:
    return scope_for(actor).has(Role.CENTER_HEAD) and actor.unit_id == problem.center_id


def _require_head(actor, problem: Problem) -> None:
    if not is_head_of(actor, problem):
        raise PermissionDenied(_("只有该理财中心的负责人可以处理此问题。"))


def feedback_due_for(day: dt.date) -> dt.date:
    """The last day to tell the raisers: ``problem.feedback_days`` working days after the answer (R12)."""
    return deadline_due("problem.feedback", day)


def _sync_help(actor, problem: Problem, status: str, resolution: str = "") -> None:
    """Keep the daily log's help-needed item in step with its problem (the log shows what became of it)."""
    if not problem.help_request_id:
        return
    fields = {"status": status}
    if resolution:
        fields["resolution"] = resolution
    fields["resolved_at"] = timezone.now() if status == HelpStatus.RESOLVED else None
    HelpRequest.objects.filter(pk=problem.help_request_id).update(**fields)


@transaction.atomic
def problem_raise(*, actor, title: str, detail: str = "", source: str = ProblemSource.OTHER, raised_by=None,
                  huddle: Huddle | None = None, meeting: Meeting | None = None) -> Problem:
    """A client manager (or their lead or head, on their behalf in a huddle or meeting) raises a problem."""
    raised_by = raised_by or actor
    scope = scope_for(actor)
    if not scope.has(Role.CLIENT_MANAGER, Role.TEAM_LEAD, Role.CENTER_HEAD):
        raise PermissionDenied(_("只有客户经理、组长或负责人可以提出问题。"))
    errors = {}
    if not (title or "").strip():
        errors["title"] = [_("请填写问题。")]
    if raised_by.unit_id is None or raised_by.unit.kind != UnitKind.CENTER:
        errors["raised_by"] = [_("提出人须是理财中心的员工。")]
    elif raised_by.pk != actor.pk and raised_by.unit_id != actor.unit_id:
        errors["raised_by"] = [_("只能代本中心的员工登记问题。")]
    if source not in ProblemSource.values:
        errors["source"] = [_("无效的来源。")]
    if errors:
        raise ValidationError(errors)
    problem = Problem(center_id=raised_by.unit_id, title=title.strip()[:300], detail=detail or "", source=source,
                      raised_by=raised_by, raised_on=timezone.localdate(), huddle=huddle, meeting=meeting,
                      holder_unit_id=raised_by.unit_id, created_by=actor)
    problem.full_clean()
    problem.save()
    escalation.record_step(obj=problem, kind=Kind.RAISE, actor=actor, from_unit=raised_by.unit,
                           note=_("来源：%(src)s") % {"src": ProblemSource(source).label})
    audit_record(actor=actor, action=AuditAction.CREATE, obj=problem)
    return problem


@transaction.atomic
def problem_collect_help(*, actor, help_request: HelpRequest) -> Problem:
    """The head takes a log's help-needed item into the problem chain (R12: the head gathers them)."""
    locked = HelpRequest.objects.select_for_update().select_related("log", "staff").get(pk=help_request.pk)
    if not (scope_for(actor).has(Role.CENTER_HEAD) and actor.unit_id == locked.center_id):
        raise PermissionDenied(_("只有该理财中心的负责人可以收集问题。"))
    if Problem.objects.filter(help_request=locked).exists():
        raise ValidationError({"help_request": [_("该事项已收集为问题。")]})
    if locked.status == HelpStatus.RESOLVED:
        raise ValidationError({"help_request": [_("该事项已解决，无需收集。")]})
    now = timezone.now()
    problem = Problem(center_id=locked.center_id, title=locked.text, detail=locked.log.difficulties,
                      source=ProblemSource.DAILY_LOG, raised_by=locked.staff, raised_on=locked.log.log_date,
                      help_request=locked, status=ProblemStatus.COLLECTED, collected_at=now,
                      holder_unit_id=locked.center_id, feedback_owner=actor, created_by=actor)
    problem.full_clean()
    problem.save()
    escalation.record_step(obj=problem, kind=Kind.RAISE, actor=locked.staff, from_unit=problem.center,
                           note=_("日志 %(day)s") % {"day": locked.log.log_date.isoformat()})
    escalation.record_step(obj=problem, kind=Kind.COLLECT, actor=actor, from_unit=problem.center)
    _sync_help(actor, problem, HelpStatus.IN_PROGRESS)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=problem, detail={"help_request": locked.pk})
    return problem


def _lock(problem: Problem) -> Problem:
    return Problem.objects.select_for_update().get(pk=problem.pk)


@transaction.atomic
def problem_collect(*, actor, problem: Problem) -> Problem:
    locked = _lock(problem)
    _require_head(actor, locked)
    if locked.status != ProblemStatus.RAISED:
        raise ValidationError({"status": [_("该问题已收集。")]})
    locked.status = ProblemStatus.COLLECTED
    locked.collected_at = timezone.now()
    locked.feedback_owner = actor
    locked.save()
    escalation.record_step(obj=locked, kind=Kind.COLLECT, actor=actor, from_unit=locked.center)
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=locked, detail={"collect": True})
    return locked


def escalation_targets(problem: Problem) -> list:
    return escalation.targets_for(problem, TARGET_KINDS)


@transaction.atomic
def problem_escalate(*, actor, problem: Problem, to_unit, note: str = "") -> Problem:
    """The head hands the problem up to the sub-branch or branch; a receiving unit hands it further up."""
    first = {"value": False}

    def prepare(locked: Problem) -> None:
        if locked.status == ProblemStatus.FED_BACK:
            raise ValidationError({"to_unit": [_("该问题已反馈结束，不能上报。")]})
        if locked.status == ProblemStatus.SOLVED:
            raise ValidationError({"to_unit": [_("该问题已在本中心解决，不能上报。")]})
        if locked.status in (ProblemStatus.RAISED, ProblemStatus.COLLECTED):
            _require_head(actor, locked)
            first["value"] = True
        elif locked.status == ProblemStatus.ESCALATED and actor.unit_id == locked.holder_unit_id:
            if not scope_for(actor).has(*ANSWER_ROLES):
                raise PermissionDenied(_("您的岗位不能转报此问题。"))

    def apply(locked: Problem) -> None:
        locked.status = ProblemStatus.ESCALATED
        if first["value"]:
            locked.feedback_owner = locked.feedback_owner or actor
            locked.collected_at = locked.collected_at or timezone.now()

    locked = escalation.hand_up(actor=actor, obj=problem, to_unit=to_unit, target_kinds=TARGET_KINDS, note=note,
                                prepare=prepare, apply=apply)
    if first["value"]:
        _sync_help(actor, locked, HelpStatus.ESCALATED)
    return locked


@transaction.atomic
def problem_answer(*, actor, problem: Problem, answer: str) -> Problem:
    """The receiving unit answers with a solution; the head's feedback deadline starts (R12)."""

    def prepare(locked: Problem) -> None:
        if not scope_for(actor).has(*ANSWER_ROLES):
            raise PermissionDenied(_("只有收到上报的支行或分行可以答复。"))

    def apply(locked: Problem) -> None:
        locked.status = ProblemStatus.ANSWERED
        locked.feedback_due = feedback_due_for(timezone.localdate(locked.answered_at))

    return escalation.send_back(actor=actor, obj=problem, answer=answer, prepare=prepare, apply=apply)


@transaction.atomic
def problem_solve_locally(*, actor, problem: Problem, solution: str, meeting: Meeting | None = None) -> Problem:
    """The center solves the problem itself (discussed at its monthly/quarterly meeting); feedback is then due."""
    locked = _lock(problem)
    _require_head(actor, locked)
    if locked.status not in (ProblemStatus.RAISED, ProblemStatus.COLLECTED):
        raise ValidationError({"solution": [_("只有尚未上报的问题可以在本中心解决。")]})
    if not (solution or "").strip():
        raise ValidationError({"solution": [_("请填写解决方案。")]})
    now = timezone.now()
    locked.solution = solution.strip()
    locked.solved_at = now
    locked.collected_at = locked.collected_at or now
    locked.status = ProblemStatus.SOLVED
    locked.feedback_owner = actor
    locked.feedback_due = feedback_due_for(timezone.localdate(now))
    locked.full_clean()
    locked.save()
    if meeting is not None:
        meeting.problems.add(locked)
    escalation.record_step(obj=locked, kind=Kind.SOLVE, actor=actor, from_unit=locked.center, note=locked.solution)
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=locked, detail={"solve": True})
    return locked


@transaction.atomic
def problem_feedback(*, actor, problem: Problem, note: str) -> Problem:
    """The head tells the client managers who raised it what the solution is; in time if by ``feedback_due``."""
    locked = _lock(problem)
    _require_head(actor, locked)
    if locked.status == ProblemStatus.FED_BACK:
        raise ValidationError({"note": [_("已反馈过提出人。")]})
    if locked.status not in AWAITING_FEEDBACK:
        raise ValidationError({"note": [_("问题尚未解决或答复，还不能反馈。")]})
    if not (note or "").strip():
        raise ValidationError({"note": [_("请填写向客户经理反馈的内容。")]})
    locked.status = ProblemStatus.FED_BACK
    locked.fed_back_at = timezone.now()
    locked.feedback_note = note.strip()
    locked.full_clean()
    locked.save()
    escalation.record_step(obj=locked, kind=Kind.FEEDBACK, actor=actor, from_unit=locked.center, note=locked.feedback_note)
    _sync_help(actor, locked, HelpStatus.RESOLVED, resolution=locked.answer or locked.solution)
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=locked,
                 detail={"feedback": True, "in_time": locked.fed_back_in_time})
    return locked


@transaction.atomic
def meeting_add_problem(*, actor, meeting: Meeting, problem: Problem) -> Meeting:
    """Pull a problem onto a meeting's agenda: the center's own problems onto its team meetings, problems handed
    up to a unit onto that unit's meetings."""
    from .services import can_edit_meeting

    if not can_edit_meeting(actor, meeting):
        raise PermissionDenied(_("只有主持人、记录人或负责人可以修改议程。"))
    if meeting.kind in TEAM_KINDS:
        ok = problem.center_id == meeting.unit_id
    else:
        ok = problem.holder_unit_id == meeting.unit_id or (
            problem.escalated_at is not None and problem.center.path.startswith(meeting.unit.path))
    if not ok:
        raise ValidationError({"problem": [_("该问题不属于本次会议的机构。")]})
    if meeting.problems.filter(pk=problem.pk).exists():
        raise ValidationError({"problem": [_("该问题已在议程中。")]})
    meeting.problems.add(problem)
    line = _("议题：%(t)s") % {"t": problem.title}
    Meeting.objects.filter(pk=meeting.pk).update(agenda=(meeting.agenda + "\n" + line).strip(),
                                                 version=meeting.version + 1)
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=meeting, detail={"agenda_problem": problem.pk})
    meeting.refresh_from_db()
    return meeting
