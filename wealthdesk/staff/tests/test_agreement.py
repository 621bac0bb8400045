"""R28: staff who have not accepted the current confidentiality agreement see no customer data."""
import datetime as dt

import pytest

from wealthdesk.core.models import AuditAction, AuditLog
from wealthdesk.staff.models import Agreement, AgreementAcceptance

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_agreement(world):
    return Agreement.objects.create(version="T2", title="客户信息保密协议", text="新版条款",
                                    effective_from=dt.date(2026, 1, 1))


def test_a_new_agreement_version_blocks_customer_pages_until_accepted(login_as, world, new_agreement):
    client = login_as("cm_c1_1")
    response = client.get(f"/customers/{world.cust_a.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/staff/agreement/")
    assert not AuditLog.objects.filter(action=AuditAction.VIEW).exists()

    page = client.get("/staff/agreement/")
    assert "新版条款" in page.content.decode()
    refused = client.post("/staff/agreement/", {"next": f"/customers/{world.cust_a.pk}/"})
    assert refused.status_code == 302 and not AgreementAcceptance.objects.filter(agreement=new_agreement).exists()

    accepted = client.post("/staff/agreement/", {"accept": "yes", "next": f"/customers/{world.cust_a.pk}/"})
    assert accepted["Location"] == f"/customers/{world.cust_a.pk}/"
    row = AgreementAcceptance.objects.get(user=world.cm_c1_1, agreement=new_agreement)
    assert row.accepted_at is not None
    assert client.get(f"/customers/{world.cust_a.pk}/").status_code == 200


def test_the_api_refuses_customer_data_until_the_agreement_is_accepted(api_as, world, new_agreement):
    response = api_as("cm_c1_1").get("/api/v1/customers/")
    assert response.status_code == 403 and "保密协议" in response.json()["detail"]


def test_the_agreement_page_never_redirects_off_site(login_as, world, new_agreement):
    response = login_as("cm_c1_1").post("/staff/agreement/", {"accept": "yes", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_the_gate_keeps_the_whole_address_with_its_filters(login_as, world, new_agreement):
    response = login_as("head_c1").get("/customers/?tier=core&sort=name")
    assert response["Location"] == "/staff/agreement/?next=%2Fcustomers%2F%3Ftier%3Dcore%26sort%3Dname"
