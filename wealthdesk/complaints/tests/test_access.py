"""Who may open every complaint page and endpoint (R30–R32; DESIGN rules 1 and 9).

A complaint about ``cust_a`` recorded by ``lobby_c1`` in C1: the recorder, the center's management, the customer's
client manager (and team lead), and the upper levels above C1 see it; the teller who did not record it, other
client managers and center C2 do not even learn it exists (404); roles without complaint work get 403.
"""
from wealthdesk.core.testing.permissions import AccessMatrix

from .helpers import c1_complaint

SEES_IT = ("lobby_c1", "head_c1", "supervisor_c1", "cm_c1_1", "lead_c1", "subbranch1_service", "branch1_service",
           "quality_b1", "hq_service")
NO_COMPLAINT_ROLE = ("advisor_1", "admin", "archivist_c1", "expert_1")
# Least privilege: the auditor reads the audit log and the statistics, not the complaints themselves.
DOES_NOT_SEE_IT = ("teller_c1", "cm_c1_2", "head_c2", "cm_c2_1", "auditor")
STATS_OF_C1 = ("lobby_c1", "head_c1", "supervisor_c1", "subbranch1_service", "branch1_service", "quality_b1",
               "hq_service", "auditor")


class TestComplaintListPage(AccessMatrix):
    allowed = SEES_IT + ("teller_c1", "head_c2", "auditor")
    forbidden = NO_COMPLAINT_ROLE

    def url(self, world):
        c1_complaint(world)
        return "/complaints/"


class TestComplaintCreatePage(AccessMatrix):
    allowed = ("teller_c1", "lobby_c1", "cm_c1_1", "head_c1", "supervisor_c1", "branch1_service", "quality_b1")
    forbidden = ("auditor",) + NO_COMPLAINT_ROLE

    def url(self, world):
        return "/complaints/new/"


class TestComplaintDetailPage(AccessMatrix):
    allowed = SEES_IT
    forbidden = NO_COMPLAINT_ROLE
    hidden = DOES_NOT_SEE_IT

    def url(self, world):
        return f"/complaints/{c1_complaint(world).pk}/"


class TestComplaintLogAction(AccessMatrix):
    method = "post"
    ok_status = (302,)
    allowed = ("head_c1", "quality_b1", "branch1_service", "hq_service")
    forbidden = ("lobby_c1", "cm_c1_1", "supervisor_c1") + NO_COMPLAINT_ROLE
    hidden = DOES_NOT_SEE_IT

    def url(self, world):
        return f"/complaints/{c1_complaint(world).pk}/log/"

    def payload(self, world):
        return {"log-kind": "note", "log-note": "已电话联系客户"}


class TestComplaintDailyStatsPage(AccessMatrix):
    allowed = STATS_OF_C1
    forbidden = ("teller_c1", "cm_c1_1", "lead_c1") + NO_COMPLAINT_ROLE
    hidden = ("head_c2",)

    def url(self, world):
        c1_complaint(world)
        return f"/complaints/stats/daily/?unit={world.c1.pk}"


class TestComplaintMonthlyStatsPage(AccessMatrix):
    """The sub-branch's roll-up: the sub-branch and everything above; a center's staff may not look up."""

    allowed = ("subbranch1_service", "branch1_service", "quality_b1", "hq_service", "auditor")
    forbidden = ("teller_c1", "cm_c1_1") + NO_COMPLAINT_ROLE
    hidden = ("head_c2", "lobby_c1", "head_c1")

    def url(self, world):
        return f"/complaints/stats/monthly/?unit={world.sub1.pk}"


class TestComplaintApiList(AccessMatrix):
    api = True
    allowed = SEES_IT + ("teller_c1", "auditor")
    forbidden = NO_COMPLAINT_ROLE

    def url(self, world):
        return "/api/v1/complaints/"


class TestComplaintApiDetail(AccessMatrix):
    api = True
    allowed = SEES_IT
    forbidden = NO_COMPLAINT_ROLE
    hidden = DOES_NOT_SEE_IT

    def url(self, world):
        return f"/api/v1/complaints/{c1_complaint(world).pk}/"


class TestComplaintApiCreate(AccessMatrix):
    api = True
    method = "post"
    ok_status = (201,)
    allowed = ("teller_c1", "lobby_c1", "cm_c1_1", "head_c2")
    forbidden = ("auditor",) + NO_COMPLAINT_ROLE

    def url(self, world):
        return "/api/v1/complaints/"

    def payload(self, world):
        return {"channel": "phone", "category": "fees", "content": "对理财产品手续费有异议"}


class TestComplaintApiLogAction(AccessMatrix):
    api = True
    method = "post"
    allowed = ("head_c1", "quality_b1")
    forbidden = ("lobby_c1", "cm_c1_1") + NO_COMPLAINT_ROLE
    hidden = DOES_NOT_SEE_IT

    def url(self, world):
        return f"/api/v1/complaints/{c1_complaint(world).pk}/log/"

    def payload(self, world):
        return {"note": "已致电客户说明情况", "kind": "contact"}


class TestComplaintApiExtendAction(AccessMatrix):
    api = True
    method = "post"
    allowed = ("head_c1",)
    forbidden = ("lobby_c1", "cm_c1_1") + NO_COMPLAINT_ROLE
    hidden = DOES_NOT_SEE_IT

    def url(self, world):
        return f"/api/v1/complaints/{c1_complaint(world).pk}/extend/"

    def payload(self, world):
        return {"reason": "需产品方出具说明，案情复杂", "days": 30}


class TestComplaintApiEscalateAction(AccessMatrix):
    api = True
    method = "post"
    allowed = ("head_c1",)
    forbidden = ("lobby_c1",) + NO_COMPLAINT_ROLE
    hidden = DOES_NOT_SEE_IT

    def url(self, world):
        return f"/api/v1/complaints/{c1_complaint(world).pk}/escalate/"

    def payload(self, world):
        return {"reason": "涉及销售适当性"}


class TestComplaintApiCloseAction(AccessMatrix):
    api = True
    method = "post"
    allowed = ("head_c1",)
    forbidden = ("lobby_c1", "cm_c1_1") + NO_COMPLAINT_ROLE
    hidden = DOES_NOT_SEE_IT

    def url(self, world):
        return f"/api/v1/complaints/{c1_complaint(world).pk}/close/"

    def payload(self, world):
        return {"resolution": "已向客户解释并致歉", "outcome": "resolved", "satisfaction": "satisfied"}


class TestComplaintStatsApi(AccessMatrix):
    api = True
    allowed = STATS_OF_C1
    forbidden = ("teller_c1", "cm_c1_1") + NO_COMPLAINT_ROLE
    hidden = ("head_c2",)

    def url(self, world):
        return f"/api/v1/complaint-stats/?unit={world.c1.pk}"


class TestComplaintAssignAction(AccessMatrix):
    method = "post"
    ok_status = (302,)
    allowed = ("head_c1", "quality_b1")
    forbidden = ("lobby_c1", "cm_c1_1") + NO_COMPLAINT_ROLE
    hidden = DOES_NOT_SEE_IT

    def url(self, world):
        return f"/complaints/{c1_complaint(world).pk}/assign/"

    def payload(self, world):
        return {"assign-owner": world.supervisor_c1.pk}


class TestComplaintApiAssignAction(AccessMatrix):
    api = True
    method = "post"
    allowed = ("head_c1", "branch1_service")
    forbidden = ("lobby_c1", "cm_c1_1") + NO_COMPLAINT_ROLE
    hidden = DOES_NOT_SEE_IT

    def url(self, world):
        return f"/api/v1/complaints/{c1_complaint(world).pk}/assign/"

    def payload(self, world):
        return {"owner": world.supervisor_c1.pk}
