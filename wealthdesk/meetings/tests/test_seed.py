"""Demo data: 90 days of huddles, minutes with action items, biweekly sub-branch meetings with one gap, problems at
every stage with their trail; a second run adds nothing."""
import datetime as dt

import pytest
from django.utils import timezone

from wealthdesk.core import escalation
from wealthdesk.core.seeding import SeedContext
from wealthdesk.meetings import seed
from wealthdesk.meetings.choices import ActionStatus, MeetingKind, ProblemStatus
from wealthdesk.meetings.models import ActionItem, Huddle, Meeting, Problem
from wealthdesk.meetings.selectors import huddle_board, upper_compliance

from .factories import help_item

pytestmark = pytest.mark.django_db


def test_demo_data_covers_every_stage_and_the_gap(world):
    help_item(world)
    today = timezone.localdate()
    ctx = SeedContext(size="small", seed=7, today=today)
    seed.seed(ctx)
    assert Huddle.objects.filter(held_on__lt=today - dt.timedelta(days=80)).exists()
    assert huddle_board(world.head_c1, today - dt.timedelta(days=30), today)["missed"]
    assert set(ActionItem.objects.values_list("status", flat=True)) == set(ActionStatus.values)
    assert Meeting.objects.filter(kind=MeetingKind.TEAM_MONTHLY).exists()
    assert Meeting.objects.filter(kind=MeetingKind.BRANCH_MONTHLY).exists()
    statuses = set(Problem.objects.filter(center=world.c1).values_list("status", flat=True))
    assert statuses == set(ProblemStatus.values)
    p = Problem.objects.get(center=world.c1, help_request__isnull=False)
    assert [s.kind for s in escalation.trail(p)] == ["raise", "collect"]
    late = [p for p in Problem.objects.filter(status=ProblemStatus.FED_BACK) if p.fed_back_in_time is False]
    assert late
    c = upper_compliance(world.branch1_service, today - dt.timedelta(days=89), today)
    s1 = next(r for r in c["subbranches"] if r["unit"] == world.sub1)
    assert len(s1["gaps"]) == 1 and s1["gaps"][0]["days"] == 28
    before = Problem.objects.count()
    seed.seed(ctx)
    assert Problem.objects.count() == before
