"""Who may open the meetings pages and API (DESIGN rules 1 and 9): team lead, head, client manager, sub-branch,
branch, the outsider center and front-desk staff."""
import datetime as dt

from django.utils import timezone

from wealthdesk.core.testing.permissions import AccessMatrix
from wealthdesk.meetings import services
from wealthdesk.meetings.choices import HuddleKind
from wealthdesk.meetings.models import Huddle

from .factories import answered, escalated, help_item, problem, sub_meeting, team1, team_meeting

OUTSIDERS = ("teller_c1", "lobby_c1", "advisor_1", "admin", "archivist_c1")


def _huddle(world):
    existing = Huddle.objects.filter(team=team1(world)).first()
    return existing or services.huddle_record(actor=world.lead_c1, team=team1(world), kind=HuddleKind.MORNING,
                                  started_at=timezone.now() - dt.timedelta(minutes=30), duration_minutes=15)


class TestHuddleList(AccessMatrix):
    allowed = ("lead_c1", "head_c1", "cm_c1_1", "subbranch1_service", "branch1_service", "head_c2")
    forbidden = OUTSIDERS

    def url(self, world):
        return "/meetings/huddles/"


class TestHuddleBoard(AccessMatrix):
    allowed = ("lead_c1", "head_c1", "subbranch1_service", "branch1_service", "head_c2", "auditor")
    forbidden = ("cm_c1_1", *OUTSIDERS)

    def url(self, world):
        return "/meetings/huddles/board/"


class TestHuddleDetail(AccessMatrix):
    allowed = ("lead_c1", "head_c1", "cm_c1_1", "subbranch1_service", "branch1_service")
    forbidden = OUTSIDERS
    hidden = ("head_c2", "cm_c2_1")

    def url(self, world):
        return f"/meetings/huddles/{_huddle(world).pk}/"


class TestHuddleOpen(AccessMatrix):
    method = "post"
    ok_status = (302,)
    allowed = ("lead_c1", "head_c1")
    forbidden = ("cm_c1_1", "subbranch1_service", "teller_c1")
    hidden = ("head_c2",)

    def url(self, world):
        return "/meetings/huddles/open/"

    def payload(self, world):
        return {"team": team1(world).pk, "kind": "morning"}


class TestHuddleRecordPage(AccessMatrix):
    allowed = ("lead_c1", "head_c1")
    forbidden = ("cm_c1_1", "subbranch1_service", "branch1_service", "teller_c1")

    def url(self, world):
        return "/meetings/huddles/new/"


class TestMeetingList(AccessMatrix):
    allowed = ("lead_c1", "head_c1", "cm_c1_1", "subbranch1_service", "branch1_service", "head_c2")
    forbidden = OUTSIDERS

    def url(self, world):
        return "/meetings/"


class TestMeetingDetail(AccessMatrix):
    allowed = ("lead_c1", "head_c1", "cm_c1_1", "subbranch1_service", "branch1_service")
    forbidden = OUTSIDERS
    hidden = ("head_c2", "cm_c2_1")

    def url(self, world):
        return f"/meetings/{team_meeting(world).pk}/"


class TestSubbranchMeetingDetail(AccessMatrix):
    """The sub-branch's meeting: its group, the heads who attend, the branch above; not the other sub-branch."""

    allowed = ("subbranch1_service", "head_c1", "branch1_service")
    forbidden = OUTSIDERS
    hidden = ("head_c2", "cm_c1_1")

    def url(self, world):
        return f"/meetings/{sub_meeting(world, timezone.localdate()).pk}/"


class TestMeetingExport(TestMeetingDetail):
    def url(self, world):
        return f"/meetings/{team_meeting(world).pk}/export/"


class TestMeetingPrint(TestMeetingDetail):
    def url(self, world):
        return f"/meetings/{team_meeting(world).pk}/print/"


class TestMeetingCreatePage(AccessMatrix):
    allowed = ("lead_c1", "head_c1", "subbranch1_service", "branch1_service")
    forbidden = ("cm_c1_1", "teller_c1", "hq_service", "auditor")

    def url(self, world):
        return "/meetings/new/"


class TestCompliance(AccessMatrix):
    allowed = ("head_c1", "subbranch1_service", "branch1_service", "hq_service", "auditor")
    forbidden = ("lead_c1", "cm_c1_1", *OUTSIDERS)

    def url(self, world):
        return "/meetings/compliance/"


class TestActionDone(AccessMatrix):
    method = "post"
    ok_status = (302,)
    allowed = ("cm_c1_1",)
    forbidden = ("teller_c1",)
    hidden = ("head_c2", "cm_c2_1")

    def url(self, world):
        m = team_meeting(world)
        item = services.action_item_add(actor=world.lead_c1, meeting=m, text="回访", owner=world.cm_c1_1,
                                        due_date=timezone.localdate())
        return f"/meetings/actions/{item.pk}/done/"


class TestProblemList(AccessMatrix):
    allowed = ("lead_c1", "head_c1", "cm_c1_1", "subbranch1_service", "branch1_service", "head_c2")
    forbidden = OUTSIDERS

    def url(self, world):
        return "/meetings/problems/"


class TestProblemDetail(AccessMatrix):
    allowed = ("cm_c1_1", "lead_c1", "head_c1", "subbranch1_service", "branch1_service")
    forbidden = OUTSIDERS
    hidden = ("cm_c1_2", "head_c2", "cm_c2_1")

    def url(self, world):
        return f"/meetings/problems/{problem(world).pk}/"


class TestInbox(AccessMatrix):
    allowed = ("subbranch1_service", "branch1_service", "hq_service")
    forbidden = ("head_c1", "lead_c1", "cm_c1_1", "teller_c1")

    def url(self, world):
        return "/meetings/problems/inbox/"


class TestReport(AccessMatrix):
    allowed = ("head_c1", "subbranch1_service", "branch1_service", "auditor")
    forbidden = ("lead_c1", "cm_c1_1", *OUTSIDERS)

    def url(self, world):
        return "/meetings/problems/report/"


class TestFeedbackStep(AccessMatrix):
    """Feedback on a problem of another center → 404; by a client manager or the sub-branch → 403/blocked."""

    method = "post"
    ok_status = (302,)
    allowed = ("head_c1",)
    forbidden = ("cm_c1_1", "lead_c1", "teller_c1")
    hidden = ("head_c2",)

    def url(self, world):
        return f"/meetings/problems/{answered(world).pk}/feedback/"

    def payload(self, world):
        return {"text": "已告知客户经理"}


class TestAnswerStep(AccessMatrix):
    method = "post"
    ok_status = (302,)
    allowed = ("subbranch1_service",)
    forbidden = ("cm_c1_1", "lead_c1", "teller_c1")

    def url(self, world):
        return f"/meetings/problems/{escalated(world).pk}/answer/"

    def payload(self, world):
        return {"text": "已协调"}


class TestCollectHelp(AccessMatrix):
    method = "post"
    ok_status = (302,)
    allowed = ("head_c1",)
    forbidden = ("cm_c1_1", "lead_c1", "subbranch1_service", "teller_c1")
    hidden = ("head_c2",)

    def url(self, world):
        return f"/meetings/problems/collect/{help_item(world).pk}/"


# ---------------------------------------------------------------- API

class TestHuddleApi(AccessMatrix):
    api = True
    allowed = ("lead_c1", "head_c1", "cm_c1_1", "subbranch1_service", "branch1_service")
    forbidden = OUTSIDERS
    hidden = ("head_c2",)

    def url(self, world):
        return f"/api/v1/huddles/{_huddle(world).pk}/"


class TestMeetingApi(AccessMatrix):
    api = True
    allowed = ("lead_c1", "head_c1", "cm_c1_1", "subbranch1_service", "branch1_service")
    forbidden = OUTSIDERS
    hidden = ("head_c2", "cm_c2_1")

    def url(self, world):
        return f"/api/v1/meetings/{team_meeting(world).pk}/"


class TestActionItemApi(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "lead_c1", "head_c1", "subbranch1_service")
    forbidden = OUTSIDERS
    hidden = ("head_c2", "cm_c2_1")

    def url(self, world):
        m = team_meeting(world)
        item = services.action_item_add(actor=world.lead_c1, meeting=m, text="回访", owner=world.cm_c1_1,
                                        due_date=timezone.localdate())
        return f"/api/v1/action-items/{item.pk}/"


class TestProblemApi(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "lead_c1", "head_c1", "subbranch1_service", "branch1_service")
    forbidden = OUTSIDERS
    hidden = ("head_c2", "cm_c2_1")

    def url(self, world):
        return f"/api/v1/problems/{problem(world).pk}/"


class TestProblemFeedbackApi(AccessMatrix):
    api = True
    method = "post"
    allowed = ("head_c1",)
    forbidden = ("cm_c1_1", "lead_c1", "subbranch1_service", "teller_c1")
    hidden = ("head_c2",)

    def url(self, world):
        return f"/api/v1/problems/{answered(world).pk}/feedback/"

    def payload(self, world):
        return {"text": "已告知"}
