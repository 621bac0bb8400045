"""R12: the problem chain — raised, collected, handed up, answered, fed back within the working-day deadline; the
generic hand-up/send-back of core keeps the trail; bad steps get a message and change nothing."""
import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from wealthdesk.core import escalation
from wealthdesk.core.calendar import add_working_days, is_working_day
from wealthdesk.core.params import set_param
from wealthdesk.meetings import problems
from wealthdesk.meetings.choices import ProblemStatus
from wealthdesk.meetings.models import Problem
from wealthdesk.meetings.selectors import escalation_report, help_to_collect, inbox
from wealthdesk.worklogs.choices import HelpStatus

from .factories import answered, escalated, help_item, problem

pytestmark = pytest.mark.django_db


def test_head_collects_a_help_item_from_a_daily_log(world):
    item = help_item(world)
    assert list(help_to_collect(world.head_c1)) == [item]
    p = problems.problem_collect_help(actor=world.head_c1, help_request=item)
    assert p.status == ProblemStatus.COLLECTED and p.raised_by == world.cm_c1_1 and p.center == world.c1
    item.refresh_from_db()
    assert item.status == HelpStatus.IN_PROGRESS
    assert list(help_to_collect(world.head_c1)) == []
    with pytest.raises(ValidationError) as exc:
        problems.problem_collect_help(actor=world.head_c1, help_request=item)
    assert "已收集" in str(exc.value)


def test_another_centers_head_cannot_collect(world):
    with pytest.raises(PermissionDenied):
        problems.problem_collect_help(actor=world.head_c2, help_request=help_item(world))


def test_full_chain_with_trail_and_deadline(world):
    item = help_item(world)
    p = problems.problem_collect_help(actor=world.head_c1, help_request=item)
    p = problems.problem_escalate(actor=world.head_c1, problem=p, to_unit=world.sub1, note="需支行协调")
    assert p.status == ProblemStatus.ESCALATED and p.holder_unit == world.sub1
    assert list(inbox(world.subbranch1_service)) == [p]
    assert list(inbox(world.branch1_service)) == []
    p = problems.problem_escalate(actor=world.subbranch1_service, problem=p, to_unit=world.branch1)
    assert list(inbox(world.branch1_service)) == [p] and list(inbox(world.subbranch1_service)) == []
    p = problems.problem_answer(actor=world.branch1_service, problem=p, answer="下月起增加额度")
    assert p.status == ProblemStatus.ANSWERED and p.holder_unit == world.c1 and p.answered_unit == world.branch1
    assert p.feedback_due == add_working_days(timezone.localdate(), 3)
    assert p.feedback_owner == world.head_c1
    p = problems.problem_feedback(actor=world.head_c1, problem=p, note="已在晨会告知")
    assert p.status == ProblemStatus.FED_BACK and p.fed_back_in_time is True
    kinds = [s.kind for s in escalation.trail(p)]
    assert kinds == ["raise", "collect", "hand_up", "forward", "answer", "feedback"]
    item.refresh_from_db()
    assert item.status == HelpStatus.RESOLVED and item.resolution == "下月起增加额度"


def test_escalating_twice_gets_a_message_and_changes_nothing(world):
    p = escalated(world)
    before = p.escalated_at
    with pytest.raises(ValidationError) as exc:
        problems.problem_escalate(actor=world.head_c1, problem=p, to_unit=world.branch1)
    assert "不能重复上报" in str(exc.value)
    p.refresh_from_db()
    assert p.holder_unit == world.sub1 and p.escalated_at == before


def test_escalation_only_to_a_unit_above(world):
    p = problem(world)
    for target in (world.c2, world.sub2, world.c1):
        with pytest.raises(ValidationError):
            problems.problem_escalate(actor=world.head_c1, problem=p, to_unit=target)
    p.refresh_from_db()
    assert p.status == ProblemStatus.RAISED


def test_client_manager_and_team_lead_cannot_escalate(world):
    p = problem(world)
    for name in ("cm_c1_1", "lead_c1"):
        with pytest.raises(PermissionDenied):
            problems.problem_escalate(actor=world.users[name], problem=p, to_unit=world.sub1)


def test_only_the_receiving_unit_answers(world):
    p = escalated(world)
    with pytest.raises(ValidationError):
        problems.problem_answer(actor=world.branch1_service, problem=p, answer="x")
    with pytest.raises(ValidationError) as exc:
        problems.problem_answer(actor=world.subbranch1_service, problem=p, answer="  ")
    assert "请填写答复" in str(exc.value)


def test_feedback_before_answer_is_refused(world):
    p = escalated(world)
    with pytest.raises(ValidationError) as exc:
        problems.problem_feedback(actor=world.head_c1, problem=p, note="x")
    assert "还不能反馈" in str(exc.value)


def test_feedback_deadline_counts_working_days_across_a_holiday(world):
    """R12 against the official calendar: 10-01..10-07 National Day, Saturday 10-10 an adjusted working day."""
    wednesday = dt.date(2026, 9, 30)
    assert not is_working_day(dt.date(2026, 10, 5)) and is_working_day(dt.date(2026, 10, 10))
    assert problems.feedback_due_for(wednesday) == dt.date(2026, 10, 10)  # 10-08, 10-09, 10-10
    set_param("problem.feedback_days", 5)
    assert problems.feedback_due_for(wednesday) == dt.date(2026, 10, 13)  # … 10-12, 10-13


def test_late_feedback_is_overdue_and_counted_late(world):
    p = answered(world)
    Problem.objects.filter(pk=p.pk).update(feedback_due=timezone.localdate() - dt.timedelta(days=1))
    p.refresh_from_db()
    assert p.is_feedback_overdue(timezone.localdate())
    report = escalation_report(world.head_c1, timezone.localdate() - dt.timedelta(days=31), timezone.localdate())
    assert report["totals"]["overdue"] == 1
    p = problems.problem_feedback(actor=world.head_c1, problem=p, note="已告知")
    assert p.fed_back_in_time is False
    report = escalation_report(world.head_c1, timezone.localdate() - dt.timedelta(days=31), timezone.localdate())
    assert report["totals"]["late"] == 1 and report["totals"]["in_time"] == 0 and report["totals"]["overdue"] == 0


def test_solved_locally_then_fed_back(world):
    p = problem(world)
    p = problems.problem_solve_locally(actor=world.head_c1, problem=p, solution="月例会确定由组长陪访")
    assert p.status == ProblemStatus.SOLVED and p.feedback_due is not None
    with pytest.raises(ValidationError):
        problems.problem_escalate(actor=world.head_c1, problem=p, to_unit=world.sub1)
    problems.problem_feedback(actor=world.head_c1, problem=p, note="已告知")
    report = escalation_report(world.head_c1, timezone.localdate().replace(day=1), timezone.localdate())
    row = report["rows"][0]
    assert (row["raised"], row["solved_locally"], row["escalated"], row["in_time"]) == (1, 1, 0, 1)


def test_report_is_scoped(world):
    problem(world)
    today = timezone.localdate()
    assert escalation_report(world.head_c2, today.replace(day=1), today)["rows"] == []
    assert escalation_report(world.subbranch1_service, today.replace(day=1), today)["totals"]["raised"] == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL")
def test_twenty_heads_escalating_at_once_exactly_one_wins(world):
    p = problem(world)
    barrier = threading.Barrier(20)
    results = []

    def attempt():
        try:
            barrier.wait()
            problems.problem_escalate(actor=world.head_c1, problem=p, to_unit=world.sub1)
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1 and results.count("refused") == 19
    assert escalation.trail(p).filter(kind="hand_up").count() == 1
