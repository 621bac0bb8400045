"""R13: the team lead opens a huddle in one click with the team's figures, marks attendance, notes problems,
closes it with its duration; the head sees held and missed huddles per working day and when they sat in."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wealthdesk.core.calendar import working_days_between
from wealthdesk.core.models import CalendarDay
from wealthdesk.meetings import services
from wealthdesk.meetings.choices import Attendance, HuddleKind, HuddleStatus, ProblemSource
from wealthdesk.meetings.models import Huddle
from wealthdesk.meetings.selectors import huddle_board

from .factories import team1

pytestmark = pytest.mark.django_db


def test_lead_opens_morning_huddle_with_team_and_figures(world):
    h = services.huddle_open(actor=world.lead_c1, team=team1(world), kind=HuddleKind.MORNING)
    assert h.status == HuddleStatus.OPEN and h.held_on == timezone.localdate()
    people = set(h.attendance.values_list("person__username", flat=True))
    assert people == {"lead_c1", "cm_c1_1", "cm_c1_2"}
    assert {"contacts", "sales_amount", "referrals_followed", "open_alerts", "contacts_due"} <= set(h.figures)


def test_a_second_morning_huddle_the_same_day_is_refused(world):
    services.huddle_open(actor=world.lead_c1, team=team1(world), kind=HuddleKind.MORNING)
    with pytest.raises(ValidationError) as exc:
        services.huddle_open(actor=world.lead_c1, team=team1(world), kind=HuddleKind.MORNING)
    assert "已登记" in str(exc.value)


def test_client_manager_and_other_center_cannot_hold_the_huddle(world):
    for name in ("cm_c1_1", "head_c2"):
        with pytest.raises(PermissionDenied):
            services.huddle_open(actor=world.users[name], team=team1(world), kind=HuddleKind.MORNING)


def test_attendance_and_close_keep_the_duration(world):
    h = services.huddle_open(actor=world.lead_c1, team=team1(world), kind=HuddleKind.EVENING)
    services.huddle_set_attendance(actor=world.lead_c1, huddle=h, statuses={world.cm_c1_2.pk: Attendance.EXCUSED})
    assert h.attendance.get(person=world.cm_c1_2).status == Attendance.EXCUSED
    h = services.huddle_close(actor=world.lead_c1, huddle=h, duration_minutes=12, summary="今日销售 50 万")
    assert h.status == HuddleStatus.CLOSED and h.duration_minutes == 12
    with pytest.raises(ValidationError):
        services.huddle_close(actor=world.lead_c1, huddle=h, duration_minutes=12)


def test_attendance_of_someone_not_on_the_list_is_refused(world):
    h = services.huddle_open(actor=world.lead_c1, team=team1(world), kind=HuddleKind.MORNING)
    with pytest.raises(ValidationError):
        services.huddle_set_attendance(actor=world.lead_c1, huddle=h, statuses={world.cm_c2_1.pk: "present"})
    with pytest.raises(ValidationError):
        services.huddle_set_attendance(actor=world.lead_c1, huddle=h, statuses={world.cm_c1_1.pk: "asleep"})


def test_ninety_minute_huddle_gets_a_message_and_nothing_is_saved(world):
    start = timezone.now() - dt.timedelta(hours=3)
    with pytest.raises(ValidationError) as exc:
        services.huddle_record(actor=world.lead_c1, team=team1(world), kind=HuddleKind.MORNING, started_at=start,
                               duration_minutes=90)
    assert "duration_minutes" in exc.value.message_dict and "90" in str(exc.value)
    assert not Huddle.objects.exists()


def test_huddle_in_the_future_gets_a_message(world):
    with pytest.raises(ValidationError) as exc:
        services.huddle_record(actor=world.lead_c1, team=team1(world), kind=HuddleKind.MORNING,
                               started_at=timezone.now() + dt.timedelta(days=1), duration_minutes=15)
    assert "未来" in str(exc.value)
    assert not Huddle.objects.exists()


def test_head_joins_and_the_board_shows_it(world):
    h = services.huddle_open(actor=world.lead_c1, team=team1(world), kind=HuddleKind.MORNING)
    services.huddle_join(actor=world.head_c1, huddle=h)
    with pytest.raises(ValidationError):
        services.huddle_join(actor=world.head_c1, huddle=h)
    with pytest.raises(PermissionDenied):
        services.huddle_join(actor=world.head_c2, huddle=h)
    today = timezone.localdate()
    board = huddle_board(world.head_c1, today, today)
    assert board["head_joined"] == 1


def test_missing_huddles_on_past_working_days_are_overdue_holidays_excepted(world):
    today = timezone.localdate()
    start = today - dt.timedelta(days=13)
    holiday = next(d for d in working_days_between(start, today - dt.timedelta(days=1)))
    CalendarDay.objects.create(date=holiday, is_working_day=False, name="假日")
    # Held today (an hour ago, but never before local midnight: in the first hour of the day "an hour ago" is
    # yesterday, and one missed huddle fewer).
    midnight = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    services.huddle_record(actor=world.lead_c1, team=team1(world), kind=HuddleKind.MORNING,
                           started_at=max(midnight, timezone.now() - dt.timedelta(hours=1)), duration_minutes=15)
    board = huddle_board(world.head_c1, start, today)
    past = [d for d in working_days_between(start, today) if d < today]
    assert len(board["missed"]) == 2 * len(past)  # both huddles of every past working day (team 1 only)
    assert holiday not in {m["date"] for m in board["missed"]}
    assert all(m["team"].name == "朝阳一组" for m in board["missed"])
    assert huddle_board(world.head_c2, start, today)["teams"][0].name == "浦东一组"


def test_problem_raised_in_a_huddle_enters_the_chain(world):
    from wealthdesk.meetings.problems import problem_raise

    h = services.huddle_open(actor=world.lead_c1, team=team1(world), kind=HuddleKind.EVENING)
    p = problem_raise(actor=world.lead_c1, title="竞品收益高", source=ProblemSource.HUDDLE, raised_by=world.cm_c1_2,
                      huddle=h)
    assert p.center == world.c1 and p.raised_by == world.cm_c1_2 and list(h.problems.all()) == [p]
