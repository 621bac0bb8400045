"""Who may open the customer pages and API (R3, R28; DESIGN rule 1 and 9)."""
from wealthdesk.core.testing.permissions import AccessMatrix

CM_AND_UP = ("cm_c1_1", "head_c1", "lead_c1", "archivist_c1", "subbranch1_service", "branch1_service",
             "hq_service")
# Least privilege: the auditor reads the audit log and the quality manager the complaints, not customer lists.
NO_CUSTOMER_ROLE = ("teller_c1", "teller2_c1", "lobby_c1", "advisor_1", "admin", "auditor", "quality_b1")


class TestCustomerListPage(AccessMatrix):
    allowed = CM_AND_UP + ("cm_c2_1",)
    forbidden = NO_CUSTOMER_ROLE

    def url(self, world):
        return "/customers/"


class TestCustomerDetailPage(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "lead_c1", "archivist_c1", "subbranch1_service", "branch1_service",
               "hq_service", "supervisor_c1")
    forbidden = NO_CUSTOMER_ROLE
    hidden = ("cm_c1_2", "cm_c2_1", "head_c2")

    def url(self, world):
        return f"/customers/{world.cust_a.pk}/"


class TestCustomerApiDetail(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c1", "hq_service")
    forbidden = NO_CUSTOMER_ROLE
    hidden = ("cm_c1_2", "cm_c2_1", "head_c2")

    def url(self, world):
        return f"/api/v1/customers/{world.cust_a.pk}/"


class TestCustomerApiList(AccessMatrix):
    api = True
    allowed = CM_AND_UP
    forbidden = NO_CUSTOMER_ROLE

    def url(self, world):
        return "/api/v1/customers/"


class TestCustomerCreatePage(AccessMatrix):
    allowed = ("archivist_c1", "head_c1")
    forbidden = ("cm_c1_1", "teller_c1", "lobby_c1", "admin")

    def url(self, world):
        return "/customers/new/"


class TestRevealEndpoint(AccessMatrix):
    method = "post"
    allowed = ("cm_c1_1", "head_c1")
    forbidden = ("hq_service", "auditor", "lead_c1", "teller_c1", "admin")
    hidden = ("cm_c2_1", "head_c2", "cm_c1_2")

    def url(self, world):
        return f"/customers/{world.cust_a.pk}/reveal/"

    def payload(self, world):
        return {"field": "mobile", "reason": "核对联系方式"}


class TestAuditLogPage(AccessMatrix):
    allowed = ("auditor", "head_c1", "head_c2")
    forbidden = ("cm_c1_1", "teller_c1", "hq_service", "admin")

    def url(self, world):
        return "/core/audit/"


class TestOrgUnitPage(AccessMatrix):
    allowed = ("admin", "hq_service", "branch1_service", "auditor", "head_c1")
    forbidden = ("cm_c1_1", "teller_c1", "advisor_1")

    def url(self, world):
        return "/orgs/"


class TestOrgUnitApi(AccessMatrix):
    api = True
    allowed = ("admin", "cm_c1_1", "teller_c1")

    def url(self, world):
        return "/api/v1/org-units/"


class TestStaffApi(AccessMatrix):
    api = True
    allowed = ("admin", "head_c1", "teller_c1")

    def url(self, world):
        return "/api/v1/staff/"
