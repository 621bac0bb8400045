"""Least privilege: the auditor reads the audit log, not customer data; the branch quality manager sees the
complaints of the branch and the masked customers in them, not the branch's customer list; the archive keeper
keeps the customer master records (R29) but not AUM, balances or holdings."""
import pytest

from wealthdesk.core.models import AuditLog
from wealthdesk.core.testing.permissions import AccessMatrix
from wealthdesk.customers.models import Customer

pytestmark = pytest.mark.django_db


class TestCustomerListIsNotForAuditorOrQualityManager(AccessMatrix):
    allowed = ("head_c1", "archivist_c1", "branch1_service")
    forbidden = ("auditor", "quality_b1")

    def url(self, world):
        return "/customers/"


class TestCustomerApiIsNotForAuditorOrQualityManager(AccessMatrix):
    api = True
    allowed = ("head_c1", "archivist_c1")
    forbidden = ("auditor", "quality_b1")

    def url(self, world):
        return "/api/v1/customers/"


class TestHoldingsApiIsNotForTheArchiveKeeper(AccessMatrix):
    api = True
    allowed = ("head_c1", "cm_c1_1")
    forbidden = ("archivist_c1", "auditor", "quality_b1")

    def url(self, world):
        return "/api/v1/holdings/"


class TestAuditLogIsForTheAuditor(AccessMatrix):
    allowed = ("auditor",)
    forbidden = ("quality_b1", "archivist_c1")

    def url(self, world):
        return "/core/audit/"


def test_no_scoped_customer_data_for_auditor_and_quality_manager(world):
    from wealthdesk.corebanking.models import Holding

    for name in ("auditor", "quality_b1"):
        assert not Customer.objects.visible_to(world.users[name]).exists(), name
        assert not Holding.objects.visible_to(world.users[name]).exists(), name


def test_the_auditor_still_reads_the_whole_audit_log(world):
    from wealthdesk.core.audit import audit_record

    audit_record(actor=world.cm_c1_1, action="view", obj=world.cust_a)
    assert AuditLog.objects.visible_to(world.auditor).filter(customer_id=world.cust_a.pk).exists()


def test_the_archive_keeper_sees_the_record_but_not_the_aum_on_the_page(login_as, world):
    page = login_as("archivist_c1").get(f"/customers/{world.cust_a.pk}/").content.decode()
    assert "C000000001" in page
    assert "1,500,000.00" not in page and "资产余额" not in page and "持仓" not in page
    listing = login_as("archivist_c1").get("/customers/").content.decode()
    assert "C000000001" in listing and "1,500,000.00" not in listing and "月日均资产" not in listing
    head = login_as("head_c1").get(f"/customers/{world.cust_a.pk}/").content.decode()
    assert "1,500,000.00" in head


def test_the_archive_keeper_gets_no_aum_from_the_api(api_as, world):
    body = api_as("archivist_c1").get(f"/api/v1/customers/{world.cust_a.pk}/").json()
    assert body["cif_no"] == "C000000001"
    assert not {"aum", "aum_avg", "aum_as_of"} & set(body)
    listing = api_as("archivist_c1").get("/api/v1/customers/").json()["results"]
    assert listing and all("aum" not in row for row in listing)
    assert "aum" in api_as("head_c1").get(f"/api/v1/customers/{world.cust_a.pk}/").json()


def test_the_quality_manager_sees_branch_complaints_with_masked_customers(login_as, world):
    from wealthdesk.complaints.models import Complaint
    from wealthdesk.complaints.tests.helpers import c1_complaint

    complaint = c1_complaint(world)
    assert Complaint.objects.visible_to(world.quality_b1).filter(pk=complaint.pk).exists()
    assert not Complaint.objects.visible_to(world.auditor).exists()
    assert login_as("quality_b1").get(f"/complaints/{complaint.pk}/").status_code == 200
    assert login_as("quality_b1").get(f"/customers/{world.cust_a.pk}/").status_code == 403
