"""Writes of huddles (R13), meetings, minutes and action items (R14, R15) (DESIGN rule 2).

Problems and their escalation (R12) are in ``problems.py``. Every write checks who may, runs ``full_clean``,
writes its audit row in the same transaction; transitions lock the row (``select_for_update``) and check the state
inside the transaction; the minutes carry a version (a stale save is refused with a message)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.calendar import previous_working_day
from wealthdesk.core.params import get_param
from wealthdesk.core.registry import metrics
from wealthdesk.core.roles import Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import Team, User

from .choices import TEAM_KINDS, ActionStatus, Attendance, HuddleKind, HuddleStatus, MeetingKind
from .models import ActionItem, Huddle, HuddleAttendance, Meeting, MeetingAttendance, MeetingComment, MeetingRead

MINUTE_FIELDS = ("title", "agenda", "decisions", "minutes")
HUDDLE_METRICS = ("sales_amount", "referrals_followed", "referrals_made", "contacts")


def _errors(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


# ---------------------------------------------------------------- huddles (R13)

def team_members(team: Team) -> list[User]:
    """The people who attend a team's huddle: its lead and its client managers."""
    ids = set(User.objects.filter(team=team, is_active=True).values_list("pk", flat=True))
    if team.lead_id:
        ids.add(team.lead_id)
    return list(User.objects.filter(pk__in=ids).order_by("full_name", "username"))


def can_hold_huddle(actor, team: Team) -> bool:
    scope = scope_for(actor)
    if scope.has(Role.TEAM_LEAD) and team.lead_id == actor.pk:
        return True
    return scope.has(Role.CENTER_HEAD) and actor.unit_id == team.unit_id


def team_figures(team: Team, day: dt.date) -> dict[str, dict]:
    """The team's numbers for the huddle, from the registered metrics (yesterday = the previous working day) and
    the team's open alerts and contacts due (R13)."""
    from wealthdesk.alerts.choices import OPEN_STATUSES
    from wealthdesk.alerts.models import Alert
    from wealthdesk.contacts import selectors as contact_selectors

    members = [m.pk for m in team_members(team)]
    yesterday = previous_working_day(day)
    out: dict[str, dict] = {}
    registered = metrics()
    for key in HUDDLE_METRICS:
        metric = registered.get(key)
        if metric is None:
            continue
        total = sum((metric.compute(members, yesterday, yesterday) or {}).values(), 0)
        out[key] = {"label": str(metric.label), "value": float(total) if isinstance(total, Decimal) else total,
                    "unit": metric.unit, "day": yesterday.isoformat()}
    out["open_alerts"] = {"label": _("未关闭预警"), "unit": "",
                          "value": Alert.objects.filter(assigned_to_id__in=members, status__in=OPEN_STATUSES).count()}
    if team.lead_id:
        lead = team.lead
        due = contact_selectors.overdue_customers(lead, day).filter(client_manager__team_id=team.pk).count()
        due += contact_selectors.due_soon_customers(lead, day, day).filter(client_manager__team_id=team.pk).count()
        out["contacts_due"] = {"label": _("今日应联系客户"), "unit": "", "value": due}
    return out


def _check_huddle_time(started_at: dt.datetime) -> None:
    if started_at > timezone.now() + dt.timedelta(minutes=1):
        raise ValidationError({"started_at": [_("晨会/夕会不能登记在未来的时间。")]})


def _check_duration(minutes) -> int:
    limit = int(get_param("huddle.max_minutes"))
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        raise ValidationError({"duration_minutes": [_("请填写时长（分钟）。")]}) from None
    if minutes < 1 or minutes > limit:
        raise ValidationError({"duration_minutes": [
            _("时长应在 1–%(max)s 分钟之间（制度要求晨会/夕会 10–15 分钟），您填写了 %(n)s 分钟。")
            % {"max": limit, "n": minutes}]})
    return minutes


@transaction.atomic
def huddle_open(*, actor, team: Team, kind: str, started_at: dt.datetime | None = None, targets: str = "") -> Huddle:
    """Open a team's huddle now: the day's figures pre-filled, every member marked present (change it after)."""
    if not can_hold_huddle(actor, team):
        raise PermissionDenied(_("只有该团队的组长或理财中心负责人可以召开晨会/夕会。"))
    if kind not in HuddleKind.values:
        raise ValidationError({"kind": [_("请选择晨会或夕会。")]})
    started_at = started_at or timezone.now()
    _check_huddle_time(started_at)
    day = timezone.localdate(started_at)
    if Huddle.objects.filter(team=team, held_on=day, kind=kind).exists():
        raise ValidationError({"kind": [_("%(team)s %(day)s 的%(kind)s已登记。")
                                        % {"team": team, "day": day.isoformat(), "kind": HuddleKind(kind).label}]})
    huddle = Huddle(team=team, center_id=team.unit_id, kind=kind, held_on=day, started_at=started_at, led_by=actor,
                    figures=team_figures(team, day), targets=targets or "", created_by=actor)
    huddle.full_clean()
    try:
        with transaction.atomic():
            huddle.save()
    except IntegrityError:
        raise ValidationError({"kind": [_("该团队当天的晨会/夕会已登记。")]}) from None
    HuddleAttendance.objects.bulk_create([HuddleAttendance(huddle=huddle, person=m) for m in team_members(team)])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=huddle)
    return huddle


@transaction.atomic
def huddle_record(*, actor, team: Team, kind: str, started_at: dt.datetime, duration_minutes, targets: str = "",
                  summary: str = "") -> Huddle:
    """Record a huddle after the fact (held earlier today or on a past day), already closed."""
    _check_huddle_time(started_at)
    minutes = _check_duration(duration_minutes)
    huddle = huddle_open(actor=actor, team=team, kind=kind, started_at=started_at, targets=targets)
    huddle.duration_minutes = minutes
    huddle.closed_at = started_at + dt.timedelta(minutes=minutes)
    huddle.summary = summary or ""
    huddle.status = HuddleStatus.CLOSED
    huddle.full_clean()
    huddle.save()
    return huddle


def _lock_huddle(huddle: Huddle) -> Huddle:
    return Huddle.objects.select_for_update().select_related("team").get(pk=huddle.pk)


@transaction.atomic
def huddle_set_attendance(*, actor, huddle: Huddle, statuses: dict[int, str]) -> Huddle:
    """Mark who was present, excused or absent; only people on the list can be marked."""
    locked = _lock_huddle(huddle)
    if not can_hold_huddle(actor, locked.team):
        raise PermissionDenied(_("只有该团队的组长或理财中心负责人可以登记出席。"))
    rows = {a.person_id: a for a in locked.attendance.all()}
    bad = [str(pid) for pid, st in statuses.items() if pid not in rows or st not in Attendance.values]
    if bad:
        raise ValidationError({"attendance": [_("出席情况无效：%(ids)s。") % {"ids": "、".join(bad)}]})
    changed = []
    for pid, st in statuses.items():
        if rows[pid].status != st:
            rows[pid].status = st
            changed.append(rows[pid])
    HuddleAttendance.objects.bulk_update(changed, ["status"])
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=locked, detail={"attendance": len(changed)})
    return locked


@transaction.atomic
def huddle_close(*, actor, huddle: Huddle, duration_minutes=None, targets: str | None = None,
                 summary: str | None = None) -> Huddle:
    """Close the huddle; the duration is kept (the elapsed minutes unless the lead corrects them)."""
    locked = _lock_huddle(huddle)
    if not can_hold_huddle(actor, locked.team):
        raise PermissionDenied(_("只有该团队的组长或理财中心负责人可以结束晨会/夕会。"))
    if locked.status != HuddleStatus.OPEN:
        raise ValidationError({"status": [_("该晨会/夕会已结束。")]})
    now = timezone.now()
    if duration_minutes in (None, ""):
        duration_minutes = max(1, round((now - locked.started_at).total_seconds() / 60))
    locked.duration_minutes = _check_duration(duration_minutes)
    locked.closed_at = now
    locked.status = HuddleStatus.CLOSED
    if targets is not None:
        locked.targets = targets
    if summary is not None:
        locked.summary = summary
    locked.full_clean()
    locked.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=locked, detail={"close": locked.duration_minutes})
    return locked


@transaction.atomic
def huddle_join(*, actor, huddle: Huddle) -> HuddleAttendance:
    """The center head sits in on a team's huddle (R13: the head attends from time to time)."""
    scope = scope_for(actor)
    if not (scope.has(Role.CENTER_HEAD) and actor.unit_id == huddle.center_id):
        raise PermissionDenied(_("只有本中心负责人可以列席。"))
    row, created = HuddleAttendance.objects.get_or_create(huddle=huddle, person=actor,
                                                          defaults={"is_head": True, "status": Attendance.PRESENT})
    if not created:
        raise ValidationError({"attendance": [_("您已列席该晨会/夕会。")]})
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=huddle, detail={"head_joined": actor.pk})
    return row


# ---------------------------------------------------------------- meetings (R14, R15)

def suggest_recorder(team: Team | None) -> User | None:
    """The next client manager in the rotation: the one after the last recorder of this team's meetings."""
    if team is None:
        return None
    managers = [m for m in team_members(team) if m.pk != team.lead_id]
    if not managers:
        return None
    last = Meeting.objects.filter(team=team, recorder__isnull=False).order_by("-held_on", "-id").first()
    if last is None:
        return managers[0]
    ids = [m.pk for m in managers]
    if last.recorder_id not in ids:
        return managers[0]
    return managers[(ids.index(last.recorder_id) + 1) % len(managers)]


def meeting_creators(kind: str):
    return {MeetingKind.TEAM_WEEKLY: (Role.TEAM_LEAD, Role.CENTER_HEAD),
            MeetingKind.TEAM_MONTHLY: (Role.TEAM_LEAD, Role.CENTER_HEAD),
            MeetingKind.SUBBRANCH_BIWEEKLY: (Role.SUBBRANCH_SERVICE,),
            MeetingKind.BRANCH_MONTHLY: (Role.BRANCH_SERVICE,)}.get(kind, ())


def default_attendees(kind: str, unit: OrgUnit, team: Team | None) -> list[User]:
    """Team meetings: the team; sub-branch meetings: the heads of its centers and its service group; branch
    meetings: the service staff of its sub-branches and of the branch."""
    if kind in TEAM_KINDS:
        return team_members(team) if team else []
    if kind == MeetingKind.SUBBRANCH_BIWEEKLY:
        heads = User.objects.filter(unit__parent=unit, unit__kind=UnitKind.CENTER,
                                    role_assignments__role=Role.CENTER_HEAD)
        group = User.objects.filter(unit=unit, role_assignments__role=Role.SUBBRANCH_SERVICE)
        return list((heads | group).distinct().order_by("full_name", "username"))
    return list(User.objects.filter(unit__path__startswith=unit.path, role_assignments__role__in=[
        Role.SUBBRANCH_SERVICE, Role.BRANCH_SERVICE]).distinct().order_by("full_name", "username"))


@transaction.atomic
def meeting_create(*, actor, kind: str, held_on: dt.date, title: str, team: Team | None = None, recorder=None,
                   agenda: str = "") -> Meeting:
    """Start the record of a meeting at the unit that holds it; the attendance list is pre-filled."""
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": [_("请选择会议类型。")]})
    scope = scope_for(actor)
    if not scope.has(*meeting_creators(kind)):
        raise PermissionDenied(_("您的岗位不能召开此类会议。"))
    errors: dict[str, list] = {}
    if kind in TEAM_KINDS:
        if team is None:
            errors["team"] = [_("请选择团队。")]
        elif not ((scope.has(Role.TEAM_LEAD) and team.lead_id == actor.pk)
                  or (scope.has(Role.CENTER_HEAD) and team.unit_id == actor.unit_id)):
            errors["team"] = [_("只能为您负责的团队记录例会。")]
        unit = team.unit if team else None
        if recorder is None:
            errors["recorder"] = [_("请指定一名客户经理担任本次会议记录人。")]
        elif team is not None and recorder.team_id != team.pk:
            errors["recorder"] = [_("记录人须是本团队的客户经理。")]
    else:
        unit = actor.unit
        want = UnitKind.SUBBRANCH if kind == MeetingKind.SUBBRANCH_BIWEEKLY else UnitKind.BRANCH1
        if unit is None or unit.kind not in (want, UnitKind.BRANCH2 if want == UnitKind.BRANCH1 else want):
            errors["kind"] = [_("该类会议由支行（双周例会）或分行（月度会议）召开。")]
        team = None
        recorder = recorder or actor
    if not (title or "").strip():
        errors["title"] = [_("请填写会议主题。")]
    if held_on is None:
        errors["held_on"] = [_("请填写会议日期。")]
    _errors(errors)
    meeting = Meeting(kind=kind, unit=unit, team=team, held_on=held_on, title=title.strip(), chair=actor,
                      recorder=recorder, agenda=agenda or "", created_by=actor)
    meeting.full_clean()
    meeting.save()
    MeetingAttendance.objects.bulk_create([MeetingAttendance(meeting=meeting, person=p)
                                           for p in default_attendees(kind, unit, team)])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=meeting)
    return meeting


def can_edit_meeting(actor, meeting: Meeting) -> bool:
    if actor.pk in (meeting.chair_id, meeting.recorder_id):
        return True
    scope = scope_for(actor)
    if meeting.kind in TEAM_KINDS:
        return scope.has(Role.CENTER_HEAD) and actor.unit_id == meeting.unit_id
    return scope.has(*meeting_creators(meeting.kind)) and actor.unit_id == meeting.unit_id


@transaction.atomic
def meeting_save(*, actor, meeting: Meeting, version: int, **fields) -> Meeting:
    """Save the minutes (agenda, decisions, minutes) from the version the writer read."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not can_edit_meeting(actor, locked):
        raise PermissionDenied(_("只有主持人、记录人或负责人可以修改会议记录。"))
    if int(version) != locked.version:
        raise ValidationError({"version": [_("会议记录已在别处被修改（当前版本 %(v)s），您的修改未保存，请刷新后重新填写。")
                                           % {"v": locked.version}]})
    unknown = set(fields) - set(MINUTE_FIELDS)
    _errors({name: [_("未知字段。")] for name in sorted(unknown)})
    for key, value in fields.items():
        setattr(locked, key, (value or "").strip() if isinstance(value, str) else value)
    if not locked.title:
        raise ValidationError({"title": [_("请填写会议主题。")]})
    locked.version += 1
    locked.full_clean()
    locked.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=locked, detail={"version": locked.version})
    return locked


@transaction.atomic
def meeting_set_attendance(*, actor, meeting: Meeting, statuses: dict[int, str]) -> Meeting:
    if not can_edit_meeting(actor, meeting):
        raise PermissionDenied(_("只有主持人、记录人或负责人可以登记出席。"))
    rows = {a.person_id: a for a in meeting.attendance.all()}
    bad = [str(pid) for pid, st in statuses.items() if pid not in rows or st not in Attendance.values]
    _errors({"attendance": [_("出席情况无效：%(ids)s。") % {"ids": "、".join(bad)}]} if bad else {})
    for pid, st in statuses.items():
        rows[pid].status = st
    MeetingAttendance.objects.bulk_update([rows[pid] for pid in statuses], ["status"])
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=meeting, detail={"attendance": len(statuses)})
    return meeting


def action_owner_choices(meeting: Meeting):
    """Who can own an action item: the attendees and the staff of the holding unit."""
    ids = set(meeting.attendance.values_list("person_id", flat=True))
    ids |= set(User.objects.filter(unit=meeting.unit, is_active=True).values_list("pk", flat=True))
    return User.objects.filter(pk__in=ids).order_by("full_name", "username")


@transaction.atomic
def action_item_add(*, actor, meeting: Meeting, text: str, owner, due_date: dt.date | None) -> ActionItem:
    """A decision someone must carry out: needs an owner and a due date (R14)."""
    if not can_edit_meeting(actor, meeting):
        raise PermissionDenied(_("只有主持人、记录人或负责人可以添加待办事项。"))
    errors: dict[str, list] = {}
    if not (text or "").strip():
        errors["text"] = [_("请填写待办事项内容。")]
    if owner is None:
        errors["owner"] = [_("请指定待办事项的责任人。")]
    elif not action_owner_choices(meeting).filter(pk=owner.pk).exists():
        errors["owner"] = [_("责任人须是参会人员或本机构员工。")]
    if due_date is None:
        errors["due_date"] = [_("请填写完成时限。")]
    elif due_date < meeting.held_on:
        errors["due_date"] = [_("完成时限不能早于会议日期（%(day)s）。") % {"day": meeting.held_on.isoformat()}]
    _errors(errors)
    item = ActionItem(meeting=meeting, text=text.strip(), owner=owner, due_date=due_date, created_by=actor)
    item.full_clean()
    item.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=item, unit_id=meeting.unit_id)
    return item


@transaction.atomic
def action_item_done(*, actor, item: ActionItem, note: str = "") -> ActionItem:
    """The owner ticks the item off on the workbench (the chair may too)."""
    locked = ActionItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    if actor.pk not in (locked.owner_id, locked.meeting.chair_id):
        raise PermissionDenied(_("只有责任人可以完成该事项。"))
    if locked.status == ActionStatus.DONE:
        raise ValidationError({"status": [_("该事项已完成。")]})
    locked.status = ActionStatus.DONE
    locked.done_at = timezone.now()
    locked.done_note = (note or "")[:300]
    locked.full_clean()
    locked.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=locked, unit_id=locked.meeting.unit_id,
                 detail={"done": True})
    return locked


READER_ROLES = (Role.CENTER_HEAD, Role.SUBBRANCH_SERVICE, Role.BRANCH_SERVICE, Role.HQ_SERVICE)


def meeting_mark_read(*, reader, meeting: Meeting) -> MeetingRead | None:
    """A read receipt when the head (or an upper level) opens the minutes; the writers leave none."""
    if reader.pk in (meeting.chair_id, meeting.recorder_id) or not scope_for(reader).has(*READER_ROLES):
        return None
    row, created = MeetingRead.objects.get_or_create(meeting=meeting, reader=reader)
    if created:
        audit_record(actor=reader, action=AuditAction.VIEW, obj=meeting, detail={"read_receipt": True})
    return row


@transaction.atomic
def meeting_comment(*, actor, meeting: Meeting, text: str) -> MeetingComment:
    if not scope_for(actor).has(*READER_ROLES):
        raise PermissionDenied(_("只有负责人或上级可以批注会议记录。"))
    if not (text or "").strip():
        raise ValidationError({"text": [_("请填写批注内容。")]})
    row = MeetingComment(meeting=meeting, author=actor, text=text.strip(), created_by=actor)
    row.full_clean()
    row.save()
    meeting_mark_read(reader=actor, meeting=meeting)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row, unit_id=meeting.unit_id)
    return row
