"""seed_demo: idempotent demo data with the documented logins (issue: foundation)."""
import io

import pytest
from django.core.management import call_command

from wealthdesk.core.seeding import DEMO_PASSWORD
from wealthdesk.customers.models import Customer
from wealthdesk.orgs.models import OrgUnit
from wealthdesk.staff.models import AgreementAcceptance, User

pytestmark = pytest.mark.django_db

LOGINS = ["admin", "auditor", "hq_service", "branch1_service", "subbranch1_service", "head_c1", "lead_c1",
          "cm_c1_1", "cm_c1_2", "supervisor_c1", "lobby_c1", "teller_c1", "teller2_c1", "archivist_c1", "cm_c2_1",
          "head_c2", "advisor_1", "expert_1", "quality_b1"]


@pytest.fixture
def foundation_only(settings, monkeypatch):
    settings.LOCAL_APPS = ["wealthdesk.orgs", "wealthdesk.staff", "wealthdesk.customers"]
    monkeypatch.setitem(__import__("wealthdesk.core.seeding", fromlist=["SIZES"]).SIZES, "small", 600)


def test_seeding_twice_keeps_the_data_and_every_demo_login_works(foundation_only):
    call_command("seed_demo", "--size", "small", stdout=io.StringIO())
    counts = (OrgUnit.objects.count(), User.objects.count(), Customer.objects.count())
    first = list(Customer.objects.order_by("cif_no").values_list("name", "id_number")[:20])
    call_command("seed_demo", "--size", "small", stdout=io.StringIO())
    assert (OrgUnit.objects.count(), User.objects.count(), Customer.objects.count()) == counts
    assert counts[0] == 21 and Customer.objects.count() == 600
    assert list(Customer.objects.order_by("cif_no").values_list("name", "id_number")[:20]) == first
    for login in LOGINS:
        assert User.objects.get(username=login).check_password(DEMO_PASSWORD), login
    assert not AgreementAcceptance.objects.filter(user__username="cm_c2_2").exists()
    for customer in Customer.objects.all()[:50]:
        customer.full_clean()  # valid resident IDs with check digits, valid mobiles, manager in the center
