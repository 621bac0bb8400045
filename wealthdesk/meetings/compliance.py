"""Meeting rules on the compliance monitor: problems fed back (R12), huddles (R13), minutes (R14) and the
sub-branch's biweekly meeting with its centers (R15)."""
from __future__ import annotations

import datetime as dt

from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.compliance import count_by, daily_duty_counts, deadline_counts, due_days, empty, month_start
from wealthdesk.core.params import get_param
from wealthdesk.core.registry import register_compliance
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import Team

from .choices import AWAITING_FEEDBACK, TEAM_KINDS, HuddleKind, MeetingKind, ProblemStatus
from .models import Huddle, Meeting, Problem


def problems_fed_back(center_ids: list[int], today: dt.date):
    """R12: the raisers told the answer within 3 working days of it (``feedback_due``)."""
    return deadline_counts(
        Problem.objects.filter(feedback_due__isnull=False), center_ids, today, due_field="feedback_due",
        open_q=Q(status__in=AWAITING_FEEDBACK),
        done_in_time_q=Q(status=ProblemStatus.FED_BACK, fed_back_at__date__lte=F("feedback_due")))


def huddles_held(center_ids: list[int], today: dt.date):
    """R13: each team's morning and end-of-day meeting on every working day of the month so far."""
    days = due_days(today)
    if not days:
        return empty(center_ids)
    teams = count_by(Team.objects.filter(unit_id__in=center_ids), "unit_id")
    held = count_by(Huddle.objects.filter(center_id__in=center_ids, held_on__in=days,
                                          kind__in=[HuddleKind.MORNING, HuddleKind.EVENING]), "center_id")
    per_day = {cid: n * 2 for cid, n in teams.items()}
    return daily_duty_counts(per_day, held, center_ids, len(days))


def _weeks_over(today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The Monday–Sunday weeks whose Sunday falls this month before today."""
    start = month_start(today)
    sunday = start + dt.timedelta(days=(6 - start.weekday()) % 7)
    weeks = []
    while sunday < today:
        weeks.append((sunday - dt.timedelta(days=6), sunday))
        sunday += dt.timedelta(days=7)
    return weeks


def minutes_kept(center_ids: list[int], today: dt.date):
    """R14: a team meeting with its minutes every week (a monthly meeting counts for its week)."""
    weeks = _weeks_over(today)
    out = empty(center_ids)
    if not weeks:
        return out
    teams = list(Team.objects.filter(unit_id__in=center_ids).values_list("pk", "unit_id"))
    held = set()
    for team_id, day in (Meeting.objects.filter(team_id__in=[t for t, _u in teams], kind__in=TEAM_KINDS,
                                                held_on__range=(weeks[0][0], weeks[-1][1])).exclude(minutes="")
                         .values_list("team_id", "held_on")):
        held.add((team_id, day - dt.timedelta(days=day.weekday())))
    for team_id, unit_id in teams:
        done = sum((team_id, monday) in held for monday, _sunday in weeks)
        row = out[unit_id]
        row["due"] += len(weeks)
        row["done"] += done
        row["overdue"] += len(weeks) - done
    return out


def subbranch_meetings(center_ids: list[int], today: dt.date):
    """R15: the center's sub-branch met with its centers within the last ``meeting.subbranch_gap_days`` days."""
    gap = int(get_param("meeting.subbranch_gap_days"))
    parents = dict(OrgUnit.objects.filter(pk__in=center_ids).values_list("pk", "parent_id"))
    recent = set(Meeting.objects.filter(unit_id__in=set(parents.values()), kind=MeetingKind.SUBBRANCH_BIWEEKLY,
                                        held_on__gt=today - dt.timedelta(days=gap), held_on__lte=today)
                 .values_list("unit_id", flat=True))
    out = empty(center_ids)
    for cid in center_ids:
        done = int(parents.get(cid) in recent)
        out[cid] = {"due": 1, "done": done, "overdue": 1 - done}
    return out


def register() -> None:
    register_compliance("R12", "R12", _("上报问题三日内反馈"), problems_fed_back, period="month", order=12,
                        overdue_url=lambda unit: reverse("meetings:problems") + "?status=overdue")
    register_compliance("R13", "R13", _("晨会、夕会每日召开"), huddles_held, period="month", order=13,
                        overdue_url=lambda unit: reverse("meetings:huddle_board"))
    register_compliance("R14", "R14", _("团队例会每周有纪要"), minutes_kept, period="week", order=14,
                        overdue_url=lambda unit: reverse("meetings:meetings"))
    register_compliance("R15", "R15", _("支行与理财中心双周例会"), subbranch_meetings, period="fortnight", order=15,
                        overdue_url=lambda unit: reverse("meetings:compliance"))
