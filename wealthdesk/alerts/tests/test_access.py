"""Who may open the alert pages and API (R6, R7; DESIGN rule 1 and 9): client managers see their own alerts,
the center head the center's, upper levels their subtree; another center's staff get 404; tellers 403."""
from wealthdesk.core.testing.permissions import AccessMatrix

from .helpers import make_alert

NO_ALERT_ROLE = ("teller_c1", "lobby_c1", "advisor_1", "admin", "archivist_c1")
UPPER = ("subbranch1_service", "branch1_service", "hq_service")
NOT_CUSTOMER_DATA = ("auditor",)  # least privilege: the auditor reads the audit log, not customers' alerts


class TestMyAlertsPage(AccessMatrix):
    allowed = ("cm_c1_1", "cm_c2_1", "lead_c1")
    forbidden = NO_ALERT_ROLE + ("head_c1", "hq_service")

    def url(self, world):
        return "/alerts/mine/"


class TestCenterAlertsPage(AccessMatrix):
    allowed = ("head_c1", "head_c2", "lead_c1") + UPPER
    forbidden = NO_ALERT_ROLE + ("cm_c1_1",) + NOT_CUSTOMER_DATA

    def url(self, world):
        return "/alerts/"


class TestAlertExport(AccessMatrix):
    allowed = ("head_c1", "hq_service")
    forbidden = NO_ALERT_ROLE + ("cm_c1_1",)

    def url(self, world):
        return "/alerts/export/"


class TestAlertDetailPage(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "lead_c1") + UPPER
    forbidden = NO_ALERT_ROLE + NOT_CUSTOMER_DATA
    hidden = ("cm_c1_2", "cm_c2_1", "head_c2")

    def url(self, world):
        return f"/alerts/{make_alert(world.cust_a).pk}/"


class TestFollowUpDialog(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "lead_c1")
    forbidden = NO_ALERT_ROLE + ("hq_service", "auditor")
    hidden = ("cm_c1_2", "cm_c2_1", "head_c2")

    def url(self, world):
        return f"/alerts/{make_alert(world.cust_a).pk}/follow-up/"


class TestFollowUpPost(AccessMatrix):
    method = "post"
    allowed = ("cm_c1_1",)
    forbidden = NO_ALERT_ROLE + ("hq_service",)
    hidden = ("cm_c1_2", "cm_c2_1", "head_c2")
    ok_status = (204, 302)

    def url(self, world):
        return f"/alerts/{make_alert(world.cust_a).pk}/follow-up/"

    def payload(self, world):
        return {"note": "已电话联系客户"}


class TestReviewDialog(AccessMatrix):
    allowed = ("head_c1",)
    forbidden = NO_ALERT_ROLE + ("cm_c1_1", "lead_c1", "hq_service")
    hidden = ("head_c2",)

    def url(self, world):
        return f"/alerts/{make_alert(world.cust_a, status='closed').pk}/review/"


class TestRulesPage(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "hq_service", "auditor")
    forbidden = NO_ALERT_ROLE

    def url(self, world):
        return "/alerts/rules/"


class TestRuleEditPage(AccessMatrix):
    allowed = ("hq_service",)
    forbidden = ("head_c1", "cm_c1_1", "branch1_service", "admin", "teller_c1")

    def url(self, world):
        from wealthdesk.alerts.models import AlertRule
        from wealthdesk.alerts.rules import ensure_default_rules

        ensure_default_rules(AlertRule)
        return f"/alerts/rules/{AlertRule.objects.get(code='single-outflow-core').pk}/edit/"


class TestMaturitiesPage(AccessMatrix):
    allowed = ("cm_c1_1", "cm_c2_1", "head_c1", "lead_c1")
    forbidden = NO_ALERT_ROLE + ("hq_service",)

    def url(self, world):
        return "/alerts/maturities/"


class TestAlertApiList(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c1", "lead_c1", "cm_c2_1") + UPPER
    forbidden = NO_ALERT_ROLE + NOT_CUSTOMER_DATA

    def url(self, world):
        return "/api/v1/alerts/"


class TestAlertApiDetail(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c1") + UPPER
    forbidden = NO_ALERT_ROLE + NOT_CUSTOMER_DATA
    hidden = ("cm_c1_2", "cm_c2_1", "head_c2")

    def url(self, world):
        return f"/api/v1/alerts/{make_alert(world.cust_a).pk}/"


class TestAlertApiClose(AccessMatrix):
    api = True
    method = "post"
    allowed = ("cm_c1_1",)
    forbidden = NO_ALERT_ROLE + ("hq_service", "auditor")
    hidden = ("cm_c1_2", "cm_c2_1", "head_c2")

    def url(self, world):
        return f"/api/v1/alerts/{make_alert(world.cust_a).pk}/close/"

    def payload(self, world):
        return {"reason": "large_purchase", "measures": "客户购房，已推荐房贷产品"}


class TestAlertApiReview(AccessMatrix):
    api = True
    method = "post"
    allowed = ("head_c1",)
    forbidden = NO_ALERT_ROLE + ("cm_c1_1", "hq_service")
    hidden = ("head_c2",)

    def url(self, world):
        return f"/api/v1/alerts/{make_alert(world.cust_a, status='closed').pk}/review/"

    def payload(self, world):
        return {"comment": "原因属实"}


class TestAlertRuleApi(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c1", "hq_service")
    forbidden = NO_ALERT_ROLE

    def url(self, world):
        return "/api/v1/alert-rules/"


class TestAlertRuleApiUpdate(AccessMatrix):
    api = True
    method = "patch"
    allowed = ("hq_service",)
    forbidden = ("head_c1", "cm_c1_1", "branch1_service", "teller_c1", "admin")

    def url(self, world):
        from wealthdesk.alerts.models import AlertRule
        from wealthdesk.alerts.rules import ensure_default_rules

        ensure_default_rules(AlertRule)
        return f"/api/v1/alert-rules/{AlertRule.objects.get(code='single-outflow-core').pk}/"

    def payload(self, world):
        return {"min_amount": "400000.00"}


class TestMaturityApi(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c1", "cm_c2_1")
    forbidden = NO_ALERT_ROLE + ("hq_service",)

    def url(self, world):
        return "/api/v1/maturities/"
