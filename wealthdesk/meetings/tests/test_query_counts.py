"""Issue 16 on the meetings pages: the huddle board above a center is a bounded drill-down (one row per child unit,
grouped counts, a click goes one level down to a center's team board); the huddle, meeting and action lists and
their API run the same number of queries at every level and for 1× and 10× the centers; the meeting scope (now a
semi-join on the attendance) shows each persona exactly the meetings it showed before (R13, R14)."""
import datetime as dt

import pytest
from django.db.models import Q
from django.utils import timezone

from wealthdesk.core.roles import Reach
from wealthdesk.core.scoping import scope_for, unit_subtree_q
from wealthdesk.core.testing.scale import grow, page_fetcher, query_counts
from wealthdesk.meetings import services
from wealthdesk.meetings.choices import HuddleKind, MeetingKind
from wealthdesk.meetings.models import Meeting
from wealthdesk.meetings.selectors import huddle_board, huddle_rollup, visible_teams
from wealthdesk.staff.models import Team, User

from .factories import team1, team_meeting

pytestmark = pytest.mark.django_db

READ_LEVELS = ["lead_c1", "head_c1", "cm_c1_1", "subbranch1_service", "branch1_service", "hq_service"]
BOARD_LEVELS = ["lead_c1", "head_c1", "subbranch1_service", "branch1_service", "hq_service"]


def _rows(world, center, people):
    """A past morning huddle, a team meeting with an action item and a read for each (new) center's team."""
    team = Team.objects.filter(unit=center).first()
    lead = people["lead"]
    started = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) - dt.timedelta(days=1)
    kind = HuddleKind.EVENING if team.huddles.filter(held_on=started.date()).exists() else HuddleKind.MORNING
    if kind == HuddleKind.EVENING:
        started = started.replace(hour=17)
    services.huddle_record(actor=lead, team=team, kind=kind, started_at=started, duration_minutes=15)
    meeting = services.meeting_create(actor=lead, kind=MeetingKind.TEAM_WEEKLY, held_on=timezone.localdate(),
                                      title="周例会", team=team, recorder=User.objects.get(pk=people["cm1"].pk))
    services.action_item_add(actor=lead, meeting=meeting, text="跟进到期客户", owner=people["cm1"],
                             due_date=timezone.localdate() + dt.timedelta(days=7))
    meeting.reads.create(reader=people["head"])


PAGES = [
    ("/meetings/", False, READ_LEVELS),
    ("/meetings/huddles/", False, READ_LEVELS),
    ("/meetings/huddles/board/", False, BOARD_LEVELS),
    ("/meetings/actions/", False, READ_LEVELS),
    ("/api/v1/huddles/", True, READ_LEVELS),
    ("/api/v1/meetings/", True, READ_LEVELS),
    ("/api/v1/action-items/", True, READ_LEVELS),
    ("/api/v1/problems/", True, ["head_c1", "cm_c1_1", "subbranch1_service", "branch1_service"]),
]


def test_meetings_pages_run_the_same_queries_for_ten_times_the_data(world):
    _rows(world, world.c1, {"lead": world.lead_c1, "cm1": world.cm_c1_1, "head": world.head_c1})
    fetchers = [(url, levels, page_fetcher(world, url, api=api)) for url, api, levels in PAGES]
    before = {url: query_counts(levels, fetch) for url, levels, fetch in fetchers}
    grow(world, 9, extra=_rows)
    after = {url: query_counts(levels, fetch) for url, levels, fetch in fetchers}
    assert after == before


def test_head_office_board_is_one_row_per_branch_with_a_link_down(world, client):
    """Old code: every team of the bank times every working day on one page. Now: a row per child unit."""
    _rows(world, world.c1, {"lead": world.lead_c1, "cm1": world.cm_c1_1, "head": world.head_c1})
    grow(world, 3, extra=_rows)
    client.force_login(world.hq_service)
    page = client.get("/meetings/huddles/board/").content.decode()
    assert 'data-testid="huddle-rollup"' in page and 'data-testid="huddle-board"' not in page
    assert f'?unit={world.branch1.pk}&' in page and f'?unit={world.branch2.pk}&' in page
    assert "扩展理财中心" not in page and "朝阳一组" not in page  # no center or team rows at head office
    page = client.get(f"/meetings/huddles/board/?unit={world.branch1.pk}").content.decode()
    assert f'?unit={world.sub1.pk}&' in page and 'data-testid="board-crumbs"' in page
    page = client.get(f"/meetings/huddles/board/?unit={world.c1.pk}").content.decode()
    assert 'data-testid="huddle-board"' in page and "朝阳一组" in page
    assert client.get(f"/meetings/huddles/board/?unit={world.c2.pk}").status_code == 200
    client.force_login(world.head_c1)
    assert client.get(f"/meetings/huddles/board/?unit={world.c2.pk}").status_code == 404  # outside the scope


def test_rollup_totals_equal_the_team_board_of_the_whole_subtree(world):
    _rows(world, world.c1, {"lead": world.lead_c1, "cm1": world.cm_c1_1, "head": world.head_c1})
    services.huddle_join(actor=world.head_c1, huddle=team1(world).huddles.first())
    grow(world, 4, extra=_rows)
    today = timezone.localdate()
    start = today - dt.timedelta(days=13)
    for name, root in (("hq_service", world.hq), ("branch1_service", world.branch1),
                       ("subbranch1_service", world.sub1)):
        user = world.users[name]
        rollup = huddle_rollup(user, root, start, today)
        board = huddle_board(user, start, today, teams=visible_teams(user))
        assert rollup["totals"]["held"] == board["held"] > 0
        assert rollup["totals"]["expected"] == board["expected"]
        assert rollup["totals"]["missed"] == len(board["missed"])
        assert rollup["totals"]["head_joined"] == board["head_joined"] == 1
        assert rollup["totals"]["teams"] == len(board["teams"])


def _old_visible(user):
    """The meeting scope as it was (a join on the attendance, wrapped in ``pk IN``), for comparison."""
    scope = scope_for(user)
    q = Q(attendance__person_id=scope.user_id) | Q(recorder_id=scope.user_id) | Q(chair_id=scope.user_id)
    if scope.reach >= Reach.SUBTREE and scope.unit_path:
        q |= unit_subtree_q(scope.unit_path, "unit")
    elif scope.team_id:
        q |= Q(team_id=scope.team_id)
    return set(Meeting.objects.filter(pk__in=Meeting.objects.filter(q).values("pk")).values_list("pk", flat=True))


def test_meeting_scope_shows_each_persona_the_same_meetings(world):
    team_meeting(world)
    services.meeting_create(actor=world.subbranch1_service, kind=MeetingKind.SUBBRANCH_BIWEEKLY,
                            held_on=timezone.localdate(), title="双周例会")
    _rows(world, world.c2, {"lead": world.head_c2, "cm1": world.cm_c2_1, "head": world.head_c2})
    for name in ("lead_c1", "head_c1", "cm_c1_1", "cm_c1_2", "head_c2", "cm_c2_1", "subbranch1_service",
                 "branch1_service", "hq_service"):
        user = world.users[name]
        assert set(Meeting.objects.visible_to(user).values_list("pk", flat=True)) == _old_visible(user), name
