"""Who may open the career-goal and training pages, exports and API (DESIGN rules 1 and 9): staff their own, the
head the center's, upper levels their subtree read-only; another center gets 404, a wrong role 403."""
from django.utils import timezone

from wealthdesk.core.testing.permissions import AccessMatrix

from .factories import goal, held_training, training

NOT_STAFF = ("advisor_1", "admin", "auditor")


class TestGoalList(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "teller_c1", "branch1_service", "hq_service", "head_c2")
    forbidden = NOT_STAFF

    def url(self, world):
        return "/development/goals/"


class TestGoalDetail(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "subbranch1_service", "branch1_service", "hq_service")
    forbidden = NOT_STAFF
    hidden = ("cm_c1_2", "lead_c1", "teller_c1", "head_c2", "cm_c2_1")

    def url(self, world):
        return f"/development/goals/{goal(world).pk}/"


class TestGoalConfirm(AccessMatrix):
    method = "post"
    ok_status = (302,)
    allowed = ("cm_c1_1",)
    forbidden = NOT_STAFF
    hidden = ("cm_c1_2", "head_c2")

    def url(self, world):
        return f"/development/goals/{goal(world).pk}/"

    def payload(self, world):
        return {"action": "confirm"}


class TestGoalCreate(AccessMatrix):
    allowed = ("head_c1", "head_c2")
    forbidden = ("cm_c1_1", "lead_c1", "branch1_service", "hq_service", *NOT_STAFF)

    def url(self, world):
        return "/development/goals/new/"


class TestReviewCreate(AccessMatrix):
    allowed = ("head_c1",)
    forbidden = ("cm_c1_1", "subbranch1_service", "branch1_service", *NOT_STAFF)
    hidden = ("head_c2",)

    def url(self, world):
        return f"/development/reviews/new/?goal={goal(world).pk}"


class TestTrainingList(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "teller_c1", "branch1_service", "hq_service", "subbranch1_service")
    forbidden = NOT_STAFF

    def url(self, world):
        return "/development/trainings/"


class TestTrainingCreate(AccessMatrix):
    allowed = ("head_c1", "subbranch1_service", "branch1_service", "hq_service")
    forbidden = ("cm_c1_1", "teller_c1", "quality_b1", *NOT_STAFF)

    def url(self, world):
        return "/development/trainings/new/"


class TestTrainingDetail(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "subbranch1_service", "branch1_service", "hq_service")
    forbidden = NOT_STAFF
    hidden = ("teller_c1", "head_c2", "cm_c2_1")

    def url(self, world):
        return f"/development/trainings/{training(world).pk}/"


class TestTrainingExport(AccessMatrix):
    allowed = ("head_c1", "subbranch1_service", "branch1_service", "hq_service")
    forbidden = ("cm_c1_1", *NOT_STAFF)
    hidden = ("head_c2",)

    def url(self, world):
        return f"/development/trainings/{training(world).pk}/export/?format=xlsx"


class TestTrainingAttendance(AccessMatrix):
    method = "post"
    ok_status = (302,)
    allowed = ("branch1_service",)
    forbidden = ("cm_c1_1", "teller_c1", *NOT_STAFF)
    hidden = ("head_c2",)

    def url(self, world):
        return f"/development/trainings/{training(world).pk}/attendance/"

    def payload(self, world):
        return {"present": []}


class TestAssess(AccessMatrix):
    method = "post"
    ok_status = (302,)
    allowed = ("branch1_service",)
    forbidden = ("cm_c1_1", *NOT_STAFF)
    hidden = ("head_c2",)

    def url(self, world):
        return f"/development/enrolments/{held_training(world).enrolments.first().pk}/assess/"

    def payload(self, world):
        return {"score": "80"}


class TestRollup(AccessMatrix):
    allowed = ("head_c1", "subbranch1_service", "branch1_service", "hq_service")
    forbidden = ("cm_c1_1", "teller_c1", *NOT_STAFF)

    def url(self, world):
        return f"/development/trainings/rollup/?year={timezone.localdate().year}"


class TestRollupOtherBranch(AccessMatrix):
    allowed = ("hq_service",)
    hidden = ("branch1_service", "head_c1")

    def url(self, world):
        return f"/development/trainings/rollup/?unit={world.branch2.pk}"


class TestGoalsApi(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c1", "branch1_service", "teller_c1")
    forbidden = NOT_STAFF

    def url(self, world):
        return "/api/v1/career-goals/"


class TestGoalApiDetail(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c1", "branch1_service", "hq_service")
    forbidden = NOT_STAFF
    hidden = ("cm_c1_2", "head_c2", "cm_c2_1")

    def url(self, world):
        return f"/api/v1/career-goals/{goal(world).pk}/"


class TestGoalApiReview(AccessMatrix):
    api = True
    method = "post"
    ok_status = (201,)
    allowed = ("head_c1",)
    forbidden = ("cm_c1_1", "branch1_service", *NOT_STAFF)
    hidden = ("head_c2",)

    def url(self, world):
        return f"/api/v1/career-goals/{goal(world).pk}/review/"

    def payload(self, world):
        from wealthdesk.development.services import quarter_of
        today = timezone.localdate()
        return {"quarter": quarter_of(today), "held_on": today.isoformat(), "progress": "进展顺利"}


class TestTrainingsApi(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c1", "branch1_service", "teller_c1")
    forbidden = NOT_STAFF

    def url(self, world):
        return "/api/v1/trainings/"


class TestTrainingApiDetail(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c1", "branch1_service", "hq_service")
    forbidden = NOT_STAFF
    hidden = ("teller_c1", "head_c2", "cm_c2_1")

    def url(self, world):
        return f"/api/v1/trainings/{training(world).pk}/"


class TestTrainingApiAttendance(AccessMatrix):
    api = True
    method = "post"
    allowed = ("branch1_service",)
    forbidden = ("cm_c1_1", *NOT_STAFF)
    hidden = ("head_c2",)

    def url(self, world):
        return f"/api/v1/trainings/{training(world).pk}/attendance/"

    def payload(self, world):
        return {"present": []}
