"""Reads for huddles, meetings, action items and problems (R12–R15); all start from ``visible_to``."""
from __future__ import annotations

import datetime as dt
import math

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from wealthdesk.core import escalation
from wealthdesk.core.calendar import working_days_between
from wealthdesk.core.params import get_param
from wealthdesk.core.roles import Reach, Role
from wealthdesk.core.scoping import scope_for
from wealthdesk.core.subquery import count_of
from wealthdesk.orgs.choices import UnitKind
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import Team
from wealthdesk.worklogs.choices import HelpStatus
from wealthdesk.worklogs.models import HelpRequest

from .choices import AWAITING_FEEDBACK, ActionStatus, HuddleKind, MeetingKind, ProblemStatus
from .models import ActionItem, Huddle, HuddleAttendance, Meeting, MeetingRead, Problem

# ---------------------------------------------------------------- huddles

def visible_teams(user) -> QuerySet[Team]:
    """The teams whose huddles this person follows: a lead their teams, a head the center's, upper levels the
    teams of their subtree."""
    scope = scope_for(user)
    if scope.reach >= Reach.SUBTREE and scope.unit_path:
        return Team.objects.filter(unit__path__startswith=scope.unit_path).select_related("unit", "lead").order_by(
            "unit__path", "name")
    q = Q(lead_id=user.pk)
    if scope.team_id:
        q |= Q(pk=scope.team_id)
    return Team.objects.filter(q).select_related("unit", "lead").order_by("name")


def holdable_teams(user) -> QuerySet[Team]:
    """The visible teams whose huddles this person may hold (``services.can_hold_huddle`` as one filter): a lead
    their own teams, a head the center's teams; nobody else."""
    scope = scope_for(user)
    q = Q(pk__in=[])
    if scope.has(Role.TEAM_LEAD):
        q |= Q(lead_id=user.pk)
    if scope.has(Role.CENTER_HEAD) and user.unit_id:
        q |= Q(unit_id=user.unit_id)
    return visible_teams(user).filter(q)


def huddle_list(user, *, team: str = "", kind: str = "", start=None, end=None) -> QuerySet[Huddle]:
    qs = Huddle.objects.visible_to(user).select_related("team", "led_by", "center")
    if str(team).isdigit():
        qs = qs.filter(team_id=int(team))
    if kind in HuddleKind.values:
        qs = qs.filter(kind=kind)
    if start:
        qs = qs.filter(held_on__gte=start)
    if end:
        qs = qs.filter(held_on__lte=end)
    # Counts as correlated subqueries, evaluated for the page's rows only (two LEFT JOINs + COUNT DISTINCT over
    # every visible huddle cost seconds at head office); the order is a keyset ``(held_on, id)``.
    att = HuddleAttendance.objects.filter(huddle_id=OuterRef("pk"))
    return qs.annotate(present=count_of(att.filter(status="present")),
                       head_joined=count_of(att.filter(is_head=True))).order_by("-held_on", "-id")


def huddle_board(user, start: dt.date, end: dt.date, *, teams=None) -> dict:
    """Per working day and team: the morning and end-of-day huddle held (or missing), and whether the head sat in.
    A missing huddle on a past working day is overdue; today's are still due (three queries in all)."""
    today = timezone.localdate()
    teams = list(teams if teams is not None else visible_teams(user))
    held = {}
    for h in huddle_list(user, start=start, end=end).filter(team__in=teams):
        held[(h.team_id, h.held_on, h.kind)] = h
    days, missed, expected = [], [], 0
    for day in reversed(working_days_between(start, min(end, today))):
        row = {"date": day, "teams": []}
        for team in teams:
            cells = {}
            for kind in HuddleKind.values:
                h = held.get((team.pk, day, kind))
                expected += 1
                overdue = h is None and day < today
                if overdue:
                    missed.append({"date": day, "team": team, "kind": HuddleKind(kind).label})
                cells[kind] = {"huddle": h, "overdue": overdue}
            row["teams"].append({"team": team, **cells})
        days.append(row)
    count = len(held)
    return {"days": days, "missed": missed, "teams": teams, "held": count, "expected": expected,
            "head_joined": sum(1 for h in held.values() if h.head_joined), "start": start, "end": end}


def huddle_rollup(user, root: OrgUnit, start: dt.date, end: dt.date) -> dict:
    """The board above a center (R13, R1 roll-up): one row per child unit of ``root`` with its teams, huddles
    held, expected and missed (overdue) on the period's working days and how often the head sat in. Three grouped
    queries whatever the size of the subtree (teams, huddles, head attendance), never one row per team and day;
    a click on a row goes one level down, down to a center's team board."""
    today = timezone.localdate()
    working = working_days_between(start, min(end, today))
    past = [d for d in working if d < today]
    kinds = len(HuddleKind.values)
    width = len(root.path) + 7  # a path segment is ``000123/``: the child's prefix of a unit's path
    teams = dict(Team.objects.filter(unit__path__startswith=root.path).annotate(child=Substr("unit__path", 1, width))
                 .values_list("child").annotate(n=Count("id")).order_by())
    huddles = (Huddle.objects.visible_to(user).filter(team__unit__path__startswith=root.path,
                                                      held_on__range=(start, end))
               .annotate(child=Substr("team__unit__path", 1, width)).values("child").order_by())
    held = {r["child"]: r for r in huddles.annotate(
        held=Count("id"), held_past=Count("id", filter=Q(held_on__in=past)),
        joined=Count("id", filter=Q(Exists(HuddleAttendance.objects.filter(huddle_id=OuterRef("pk"),
                                                                           is_head=True))))).values(
        "child", "held", "held_past", "joined")}
    children = {u.path: u for u in OrgUnit.objects.filter(path__in=list(teams)).order_by("path")}
    rows = []
    for path in sorted(teams):
        unit = children.get(path)
        if unit is None:
            continue
        n, h = teams[path], held.get(path, {})
        expected = n * len(working) * kinds
        missed = max(0, n * len(past) * kinds - h.get("held_past", 0))
        rows.append({"unit": unit, "teams": n, "held": h.get("held", 0), "expected": expected, "missed": missed,
                     "head_joined": h.get("joined", 0), "drill": unit.pk != root.pk})
    keys = ("teams", "held", "expected", "missed", "head_joined")
    totals = {k: sum(r[k] for r in rows) for k in keys}
    return {"rows": rows, "totals": totals, "root": root, "start": start, "end": end, "days": len(working)}


def today_huddles(team: Team, day: dt.date) -> dict[str, Huddle]:
    return {h.kind: h for h in Huddle.objects.filter(team=team, held_on=day)}


# ---------------------------------------------------------------- meetings and action items

def meeting_list(user, *, kind: str = "", start=None, end=None) -> QuerySet[Meeting]:
    qs = Meeting.objects.visible_to(user).select_related("unit", "team", "chair", "recorder")
    if kind in MeetingKind.values:
        qs = qs.filter(kind=kind)
    if start:
        qs = qs.filter(held_on__gte=start)
    if end:
        qs = qs.filter(held_on__lte=end)
    return qs.annotate(
        open_actions=count_of(ActionItem.objects.filter(meeting_id=OuterRef("pk"), status=ActionStatus.OPEN)),
        read_count=count_of(MeetingRead.objects.filter(meeting_id=OuterRef("pk")))).order_by("-held_on", "-id")


def previous_meeting(meeting: Meeting) -> Meeting | None:
    qs = Meeting.objects.filter(kind=meeting.kind, unit=meeting.unit, team=meeting.team).filter(
        Q(held_on__lt=meeting.held_on) | Q(held_on=meeting.held_on, pk__lt=meeting.pk))
    return qs.order_by("-held_on", "-id").first()


def previous_open_actions(meeting: Meeting) -> list[ActionItem]:
    """Before a meeting: what the previous meeting of the same kind decided and is still open (R14)."""
    prev = previous_meeting(meeting)
    if prev is None:
        return []
    return list(prev.actions.filter(status=ActionStatus.OPEN).select_related("owner").order_by("due_date", "id"))


def my_open_actions(user) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(owner=user, status=ActionStatus.OPEN).select_related("meeting").order_by(
        "due_date", "id")


def action_list(user, *, status: str = "", mine: bool = False) -> QuerySet[ActionItem]:
    qs = ActionItem.objects.visible_to(user).select_related("meeting", "owner")
    if status in ActionStatus.values:
        qs = qs.filter(status=status)
    if mine:
        qs = qs.filter(owner=user)
    return qs.order_by("status", "due_date", "id")


def _gaps(dates: list[dt.date], start: dt.date, end: dt.date, limit: int, before: dt.date | None) -> list[dict]:
    """Intervals longer than ``limit`` days with no meeting, from the last meeting before the period (or the
    period's start) through each meeting to the period's end."""
    points = sorted(dates)
    out, prev = [], before or start
    for day in [*points, end]:
        if (day - prev).days > limit and day > start:
            out.append({"from": prev, "to": day, "days": (day - prev).days, "open": day == end and day not in points})
        prev = day
    return out


def upper_compliance(user, start: dt.date, end: dt.date) -> dict:
    """R15: per sub-branch in scope, biweekly meetings held against due in the period and the gaps longer than the
    limit; per branch, the months with their monthly meeting."""
    scope = scope_for(user)
    end = min(end, timezone.localdate())
    limit = int(get_param("meeting.subbranch_gap_days"))
    prefix = scope.unit_path
    units = OrgUnit.objects.filter(path__startswith=prefix) if prefix else OrgUnit.objects.none()
    if scope.has(Role.CENTER_HEAD) and scope.reach >= Reach.SUBTREE and user.unit and user.unit.parent_id:
        units = OrgUnit.objects.filter(Q(path__startswith=prefix) | Q(pk=user.unit.parent_id))
    subs = list(units.filter(kind=UnitKind.SUBBRANCH).order_by("path"))
    branches = list(units.filter(kind__in=[UnitKind.BRANCH1, UnitKind.BRANCH2]).order_by("path"))
    meetings = Meeting.objects.filter(unit__in=[*subs, *branches], held_on__lte=end).values_list(
        "unit_id", "kind", "held_on")
    by_unit: dict[int, list[dt.date]] = {}
    for unit_id, kind, day in meetings:
        if kind in (MeetingKind.SUBBRANCH_BIWEEKLY, MeetingKind.BRANCH_MONTHLY):
            by_unit.setdefault(unit_id, []).append(day)
    days = (end - start).days + 1
    rows = []
    for sub in subs:
        dates = by_unit.get(sub.pk, [])
        inside = sorted(d for d in dates if start <= d <= end)
        before = max((d for d in dates if d < start), default=None)
        due = max(1, math.ceil(days / limit))
        gaps = _gaps(inside, start, end, limit, before)
        rows.append({"unit": sub, "held": len(inside), "due": due, "share": min(1.0, len(inside) / due),
                     "gaps": gaps, "last": inside[-1] if inside else before})
    months = []
    day = start.replace(day=1)
    while day <= end:
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    branch_rows = []
    for branch in branches:
        dates = set((d.year, d.month) for d in by_unit.get(branch.pk, []))
        cells = [{"month": m, "held": (m.year, m.month) in dates} for m in months]
        branch_rows.append({"unit": branch, "months": cells, "held": sum(c["held"] for c in cells),
                            "due": len(cells)})
    return {"subbranches": rows, "branches": branch_rows, "start": start, "end": end, "limit": limit}


# ---------------------------------------------------------------- problems (R12)

def problem_list(user, *, status: str = "", center: str = "") -> QuerySet[Problem]:
    qs = Problem.objects.visible_to(user).select_related("center", "raised_by", "holder_unit", "feedback_owner")
    if status in ProblemStatus.values:
        qs = qs.filter(status=status)
    elif status == "overdue":
        qs = qs.filter(status__in=AWAITING_FEEDBACK, feedback_due__lt=timezone.localdate())
    if str(center).isdigit():
        qs = qs.filter(center_id=int(center))
    return qs.order_by("-raised_on", "-id")


def inbox(user) -> QuerySet[Problem]:
    """Problems handed up to the user's unit and waiting for its answer."""
    return (escalation.inbox(Problem.objects.visible_to(user), user)
            .select_related("center", "raised_by", "escalated_by").order_by("escalated_at", "id"))


def awaiting_feedback(user) -> QuerySet[Problem]:
    """The head's deadlines: answered or locally solved problems not yet fed back, soonest due first."""
    return (Problem.objects.visible_to(user).filter(status__in=AWAITING_FEEDBACK, center_id=user.unit_id)
            .select_related("raised_by", "answered_unit").order_by("feedback_due", "id"))


def help_to_collect(user) -> QuerySet[HelpRequest]:
    """Help-needed items of the center's daily logs not yet in the problem chain."""
    return (HelpRequest.objects.visible_to(user).filter(center_id=user.unit_id, problem__isnull=True)
            .exclude(status=HelpStatus.RESOLVED).select_related("staff", "log").order_by("-log__log_date", "-id"))


def escalation_report(user, start: dt.date, end: dt.date) -> dict:
    """Per center in scope, for problems raised in [start, end]: raised, solved locally, escalated, answered, fed
    back (in time / late) and overdue now (one query)."""
    today = timezone.localdate()
    qs = Problem.objects.visible_to(user).filter(raised_on__range=(start, end))
    rows = (qs.values("center_id", "center__name").annotate(
        raised=Count("id"),
        solved_locally=Count("id", filter=Q(solved_at__isnull=False)),
        escalated=Count("id", filter=Q(escalated_at__isnull=False)),
        answered=Count("id", filter=Q(answered_at__isnull=False)),
        fed_back=Count("id", filter=Q(status=ProblemStatus.FED_BACK)),
        overdue=Count("id", filter=Q(status__in=AWAITING_FEEDBACK, feedback_due__lt=today)),
    ).order_by("center__name"))
    in_time = {}
    for p in qs.filter(status=ProblemStatus.FED_BACK).only("center_id", "fed_back_at", "feedback_due"):
        in_time.setdefault(p.center_id, 0)
        if p.fed_back_in_time:
            in_time[p.center_id] += 1
    out = []
    for r in rows:
        r["in_time"] = in_time.get(r["center_id"], 0)
        r["late"] = r["fed_back"] - r["in_time"]
        out.append(r)
    keys = ("raised", "solved_locally", "escalated", "answered", "fed_back", "in_time", "late", "overdue")
    totals = {k: sum(r[k] for r in out) for k in keys}
    return {"rows": out, "totals": totals, "start": start, "end": end}


def period_bounds(kind: str, day: dt.date) -> tuple[dt.date, dt.date]:
    if kind == "quarter":
        first_month = 3 * ((day.month - 1) // 3) + 1
        start = day.replace(month=first_month, day=1)
        months = 3
    else:
        start, months = day.replace(day=1), 1
    end = start
    for _ in range(months):
        end = (end + dt.timedelta(days=32)).replace(day=1)
    return start, end - dt.timedelta(days=1)
