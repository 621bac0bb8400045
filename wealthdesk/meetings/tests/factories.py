"""Small helpers to put the meetings app's rows into the personas world."""
import datetime as dt

from django.utils import timezone

from wealthdesk.meetings import problems, services
from wealthdesk.meetings.choices import MeetingKind
from wealthdesk.staff.models import Team
from wealthdesk.worklogs.choices import LogStatus
from wealthdesk.worklogs.models import DailyLog, HelpRequest


def team1(world) -> Team:
    return Team.objects.get(name="朝阳一组")


def help_item(world, text="需要分行协调产品额度", staff=None, day=None):
    staff = staff or world.cm_c1_1
    day = day or timezone.localdate()
    log, _ = DailyLog.objects.get_or_create(staff=staff, log_date=day, defaults={
        "center_id": staff.unit_id, "status": LogStatus.SUBMITTED, "submitted_at": timezone.now(),
        "help_needed": text, "difficulties": "客户对产品额度有意见"})
    return HelpRequest.objects.create(log=log, staff=staff, center_id=staff.unit_id, text=text, created_by=staff)


def problem(world, title="系统查询持仓慢", raiser=None):
    raiser = raiser or world.cm_c1_1
    return problems.problem_raise(actor=raiser, title=title)


def escalated(world):
    p = problem(world)
    return problems.problem_escalate(actor=world.head_c1, problem=p, to_unit=world.sub1)


def answered(world):
    p = escalated(world)
    return problems.problem_answer(actor=world.subbranch1_service, problem=p, answer="已协调科技部优化")


def team_meeting(world, held_on=None, kind=MeetingKind.TEAM_WEEKLY):
    return services.meeting_create(actor=world.lead_c1, kind=kind, held_on=held_on or timezone.localdate(),
                                   title="周例会", team=team1(world), recorder=world.cm_c1_1)


def sub_meeting(world, held_on):
    return services.meeting_create(actor=world.subbranch1_service, kind=MeetingKind.SUBBRANCH_BIWEEKLY,
                                   held_on=held_on, title="双周例会")


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)
