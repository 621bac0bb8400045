"""Each rule's measure against a hand-counted fixture, and the roll-up: a level's figure is the sum of its
children's (R1). Day of the monitor: Friday 20 November 2026, so the month's working days that are over are
2–6, 9–13 and 16–19 November: 14."""
import datetime as dt

import pytest
from django.utils import timezone

from wealthdesk.complaints.tests.helpers import record
from wealthdesk.compliance import selectors
from wealthdesk.compliance.catalogue import RULES
from wealthdesk.contacts.models import ContactRecord
from wealthdesk.core import registry
from wealthdesk.meetings.choices import HuddleKind, MeetingKind
from wealthdesk.meetings.models import Huddle, Meeting
from wealthdesk.staff.models import Team
from wealthdesk.worklogs.choices import LogStatus
from wealthdesk.worklogs.models import DailyLog, Debrief

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


def _at(day: dt.date, hour: int = 10):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def figures(key, world, day=TODAY):
    measure = {m.key: m for m in registry.compliance_measures()}[key]
    return measure.compute([world.c1.pk, world.c2.pk], day)


def test_daily_logs_debriefs_and_reviews(world):
    cm = world.cm_c1_1
    for day in (2, 3, 4):
        DailyLog.objects.create(staff=cm, center=world.c1, log_date=dt.date(2026, 11, day), status=LogStatus.SUBMITTED,
                                reviewed_at=_at(dt.date(2026, 11, 5)) if day == 2 else None)
    DailyLog.objects.create(staff=cm, center=world.c1, log_date=dt.date(2026, 11, 5))  # a draft: not submitted
    DailyLog.objects.create(staff=cm, center=world.c1, log_date=dt.date(2026, 10, 30), status=LogStatus.SUBMITTED)
    DailyLog.objects.create(staff=cm, center=world.c1, log_date=TODAY, status=LogStatus.SUBMITTED)  # today: not due
    for day in (2, 3):
        Debrief.objects.create(staff=cm, supervisor=world.head_c1, center=world.c1, debrief_date=dt.date(2026, 11, day))
    # two client managers in C1, one in C2, 14 working days over
    assert figures("R9", world)[world.c1.pk] == {"due": 28, "done": 3, "overdue": 25}
    assert figures("R9", world)[world.c2.pk] == {"due": 14, "done": 0, "overdue": 14}
    assert figures("R10", world)[world.c1.pk] == {"due": 28, "done": 2, "overdue": 26}
    # 3 logs submitted in the month, 1 read: 80 % of 3 rounds up to 3, so 2 more to read
    assert figures("R11", world)[world.c1.pk] == {"due": 3, "done": 1, "overdue": 2}
    assert figures("R11", world)[world.c2.pk] == {"due": 0, "done": 0, "overdue": 0}


def test_nothing_is_due_on_the_first_day_of_a_month(world):
    assert figures("R9", world, dt.date(2026, 12, 1))[world.c1.pk] == {"due": 0, "done": 0, "overdue": 0}


def test_complaints_decided_in_time(world):
    def complaint(due, closed=None):
        c = record(world)
        c.due_on = c.original_due_on = due
        c.received_on = due - dt.timedelta(days=21)
        if closed:
            c.status, c.closed_on, c.outcome, c.resolution = "closed", closed, "resolved", "已致歉并改进排队"
        c.save()
        return c

    complaint(dt.date(2026, 11, 10), closed=dt.date(2026, 11, 9))  # in time
    complaint(dt.date(2026, 11, 12), closed=dt.date(2026, 11, 15))  # decided late
    complaint(dt.date(2026, 11, 18))  # open past its due date
    complaint(dt.date(2026, 10, 20))  # open since last month: still overdue
    complaint(dt.date(2026, 11, 25))  # not yet due
    complaint(dt.date(2026, 10, 15), closed=dt.date(2026, 10, 14))  # last month's, closed: not this month's
    assert figures("R32", world)[world.c1.pk] == {"due": 4, "done": 1, "overdue": 2}


def test_huddles_minutes_and_the_subbranch_meeting(world):
    team = Team.objects.get(unit=world.c1)
    for day, kind in ((2, HuddleKind.MORNING), (2, HuddleKind.EVENING), (3, HuddleKind.MORNING)):
        Huddle.objects.create(team=team, center=world.c1, kind=kind, held_on=dt.date(2026, 11, day),
                              started_at=_at(dt.date(2026, 11, day), 8 if kind == HuddleKind.MORNING else 17),
                              led_by=world.lead_c1)
    # one team, two huddles a working day
    assert figures("R13", world)[world.c1.pk] == {"due": 28, "done": 3, "overdue": 25}
    # weeks ending Sunday 1, 8 and 15 November are over; one weekly meeting with minutes, one without
    Meeting.objects.create(kind=MeetingKind.TEAM_WEEKLY, unit=world.c1, team=team, held_on=dt.date(2026, 11, 4),
                           title="周例会", chair=world.lead_c1, minutes="讨论本周目标")
    Meeting.objects.create(kind=MeetingKind.TEAM_WEEKLY, unit=world.c1, team=team, held_on=dt.date(2026, 11, 11),
                           title="周例会", chair=world.lead_c1)
    assert figures("R14", world)[world.c1.pk] == {"due": 3, "done": 1, "overdue": 2}
    assert figures("R14", world)[world.c2.pk] == {"due": 3, "done": 0, "overdue": 3}
    # the sub-branch above C1 met 8 days ago; C2's sub-branch has not met
    Meeting.objects.create(kind=MeetingKind.SUBBRANCH_BIWEEKLY, unit=world.sub1, held_on=dt.date(2026, 11, 12),
                           title="双周例会", chair=world.subbranch1_service)
    r15 = figures("R15", world)
    assert r15[world.c1.pk] == {"due": 1, "done": 1, "overdue": 0}
    assert r15[world.c2.pk] == {"due": 1, "done": 0, "overdue": 1}
    assert figures("R15", world, dt.date(2026, 11, 27))[world.c1.pk]["overdue"] == 1  # 15 days later


def test_monthly_contact_policy(world):
    # the customers were created today; in February 2027 their December anchor is overdue
    day = dt.date(2027, 2, 10)
    ContactRecord.objects.create(customer=world.cust_a, staff=world.cm_c1_1, kind="phone",
                                 contacted_at=_at(dt.date(2027, 2, 3)))
    r26 = figures("R26", world, day)
    assert r26[world.c1.pk] == {"due": 2, "done": 1, "overdue": 1}
    assert r26[world.c2.pk] == {"due": 1, "done": 0, "overdue": 1}


def test_reports_owed_for_the_last_closed_period(world):
    # October's monthly report (R18) fell due on 4 November: each client manager owes one
    assert figures("R18", world)[world.c1.pk] == {"due": 2, "done": 0, "overdue": 2}
    # the center's own reports (R31, R35) owe one per center
    assert figures("R35", world)[world.c2.pk] == {"due": 1, "done": 0, "overdue": 1}
    # before the due date nothing is owed yet
    assert figures("R18", world, dt.date(2026, 11, 3))[world.c1.pk] == {"due": 0, "done": 0, "overdue": 0}


def test_a_level_is_the_sum_of_its_children_for_every_rule(world):
    record(world)
    DailyLog.objects.create(staff=world.cm_c1_1, center=world.c1, log_date=dt.date(2026, 11, 2),
                            status=LogStatus.SUBMITTED)
    hq = selectors.monitor(world.hq, TODAY)
    assert {c.unit.pk for c in hq["children"]} == {world.branch1.pk, world.branch2.pk}
    for row in hq["rows"]:
        if not row.measured:
            continue
        for part in ("due", "done", "overdue"):
            assert getattr(row, part) == sum(c.rules[row.key][part] for c in hq["children"]), (row.key, part)
    c1 = selectors.monitor(world.c1, TODAY)
    branch1 = next(c for c in hq["children"] if c.unit == world.branch1)
    assert branch1.due == c1["total"].due and branch1.overdue == c1["total"].overdue
    assert hq["total"].due == sum(c.due for c in hq["children"])


def test_rules_without_a_measure_say_so(world, monkeypatch):
    monkeypatch.delitem(registry._COMPLIANCE, "R32")
    rows: dict[str, list] = {}
    for row in selectors.monitor(world.c1, TODAY)["rows"]:
        rows.setdefault(row.rule, []).append(row)
    assert [(r.measured, r.due) for r in rows["R32"]] == [(False, 0)]
    registered = {m.rule for m in registry.compliance_measures()}
    for rule, _label in RULES:
        assert all(r.measured == (rule in registered) for r in rows[rule]), rule
