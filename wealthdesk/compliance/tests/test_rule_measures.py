"""The compliance monitor's R12, R16 and R22 figures against hand-built fixtures, at a center and rolled up to its
branch and head office, read through the public selector (``selectors.monitor``), not the measures' internals.

Day of the monitor: Friday 20 November 2026. A deadline measure counts, per center, what fell due from the 1st up
to yesterday plus what is still open from before the month (due); what fell due this month and was done by its
deadline (done); what is still open now (overdue). A deadline of today or later is not due yet."""
import datetime as dt

import pytest
from django.utils import timezone

from wealthdesk.compliance import selectors
from wealthdesk.meetings.choices import ProblemStatus
from wealthdesk.meetings.models import Problem
from wealthdesk.referrals.choices import AssignmentMethod, Position, ReferralStatus, Signal
from wealthdesk.referrals.models import Referral
from wealthdesk.voice.choices import AnswerRoute, QuestionStatus
from wealthdesk.voice.models import NeedsCard, NeedsQuestion

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)
NOV, OCT = 11, 10


def d(month, day):
    return dt.date(2026, month, day)


def at(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def figures(unit, key):
    """(due, done, overdue) of one rule for ``unit``'s subtree, and the same for each child unit."""
    result = selectors.monitor(unit, TODAY)
    row = next(r for r in result["rows"] if r.key == key)
    assert row.measured
    children = {c.unit.pk: (c.rules[key]["due"], c.rules[key]["done"], c.rules[key]["overdue"])
                for c in result["children"]}
    return (row.due, row.done, row.overdue), children


def assert_rolled_up(world, key, c1, c2):
    assert figures(world.c1, key)[0] == c1
    assert figures(world.c2, key)[0] == c2
    branch1, _ = figures(world.branch1, key)  # C1 is the only center under branch 1
    assert branch1 == c1
    hq, children = figures(world.hq, key)
    assert hq == tuple(a + b for a, b in zip(c1, c2, strict=True))
    assert children == {world.branch1.pk: c1, world.branch2.pk: c2}


def test_r12_problems_fed_back_within_three_working_days(world):
    def problem(center, raiser, due, status, fed_back=None):
        answer = "已协调" if status != ProblemStatus.FED_BACK or fed_back else ""
        return Problem.objects.create(center=center, title="问题", raised_by=raiser, raised_on=due - dt.timedelta(5),
                                      status=status, feedback_due=due, answer=answer,
                                      fed_back_at=at(fed_back) if fed_back else None)

    c1, c2, cm1, cm2 = world.c1, world.c2, world.cm_c1_1, world.cm_c2_1
    problem(c1, cm1, d(NOV, 5), ProblemStatus.FED_BACK, d(NOV, 4))     # due, done in time
    problem(c1, cm1, d(NOV, 10), ProblemStatus.FED_BACK, d(NOV, 12))   # due, fed back late
    problem(c1, cm1, d(NOV, 18), ProblemStatus.ANSWERED)               # due, still open: overdue
    problem(c1, cm1, d(OCT, 20), ProblemStatus.SOLVED)                 # open from before the month: overdue
    problem(c1, cm1, d(OCT, 20), ProblemStatus.FED_BACK, d(OCT, 19))   # closed last month: not counted
    problem(c1, cm1, TODAY, ProblemStatus.ANSWERED)                    # due today: not yet
    problem(c1, cm1, d(NOV, 25), ProblemStatus.ANSWERED)               # due later: not yet
    Problem.objects.create(center=c1, title="未答复", raised_by=cm1, raised_on=d(NOV, 2))  # no deadline yet
    problem(c2, cm2, d(NOV, 9), ProblemStatus.FED_BACK, d(NOV, 9))
    assert_rolled_up(world, "R12", (4, 1, 2), (1, 1, 0))


def test_r16_referrals_followed_within_two_working_days(world):
    def referral(center, cm, due, status, contacted=None, follow=True):
        return Referral.objects.create(
            referrer=cm, referrer_position=Position.choices[0][0],
            referrer_unit=center, center=center, prospect_name="潜在客户", signal=Signal.LARGE_DEPOSIT,
            needs_follow_up=follow, assigned_to=cm, assignment_method=AssignmentMethod.RESPONSIBLE, status=status,
            referred_on=due - dt.timedelta(2), due_on=due, contacted_at=at(contacted) if contacted else None)

    c1, c2, cm1, cm2 = world.c1, world.c2, world.cm_c1_1, world.cm_c2_1
    referral(c1, cm1, d(NOV, 4), ReferralStatus.CONTACTED, d(NOV, 4))    # done in time
    referral(c1, cm1, d(NOV, 6), ReferralStatus.CONTACTED, d(NOV, 9))    # contacted late
    referral(c1, cm1, d(NOV, 12), ReferralStatus.CONVERTED, d(NOV, 11))  # done in time
    referral(c1, cm1, d(NOV, 17), ReferralStatus.NEW)                    # overdue
    referral(c1, cm1, d(OCT, 28), ReferralStatus.ACCEPTED)               # open from before the month: overdue
    referral(c1, cm1, d(NOV, 10), ReferralStatus.NEW, follow=False)      # no follow-up needed: not counted
    referral(c1, cm1, d(NOV, 23), ReferralStatus.NEW)                    # due later: not yet
    referral(c2, cm2, d(NOV, 16), ReferralStatus.NEW)
    assert_rolled_up(world, "R16", (5, 2, 2), (1, 0, 1))


def test_r22_questions_answered_within_two_weeks(world):
    cards = {}

    def question(center, due, status, told=None):
        cust = world.cust_a if center == world.c1 else world.cust_b
        cm = world.cm_c1_1 if center == world.c1 else world.cm_c2_1
        card = cards.get(center.pk) or cards.setdefault(center.pk, NeedsCard.objects.create(
            customer=cust, center=center, client_manager=cm, card_date=d(OCT, 1)))
        return NeedsQuestion.objects.create(
            card=card, center=center, asked_on=due - dt.timedelta(14), text="产品额度？", route=AnswerRoute.choices[-1][0],
            target_unit=center, due_on=due, status=status, answer="" if status == QuestionStatus.OPEN else "已答复",
            told_on=told)

    c1, c2 = world.c1, world.c2
    question(c1, d(NOV, 6), QuestionStatus.TOLD, d(NOV, 5))     # done in time
    question(c1, d(NOV, 9), QuestionStatus.TOLD, d(NOV, 13))    # told late
    question(c1, d(NOV, 16), QuestionStatus.ANSWERED)           # answered but the customer not told: overdue
    question(c1, d(OCT, 30), QuestionStatus.OPEN)               # open from before the month: overdue
    question(c1, d(OCT, 30), QuestionStatus.TOLD, d(OCT, 29))   # closed last month: not counted
    question(c1, TODAY, QuestionStatus.OPEN)                    # due today: not yet
    question(c2, d(NOV, 2), QuestionStatus.OPEN)
    assert_rolled_up(world, "R22", (4, 1, 2), (1, 0, 1))
