"""Who may open the contact pages and API (R26, R27; DESIGN rules 1 and 9)."""
import datetime as dt

import pytest
from django.utils import timezone

from wealthdesk.contacts.models import Appointment
from wealthdesk.core.testing.permissions import AccessMatrix

from .factories import make_contact

NO_CUSTOMER_ROLE = ("teller_c1", "lobby_c1", "advisor_1", "admin")


@pytest.fixture
def record(world):
    return make_contact(world.cust_a, world.cm_c1_1, timezone.localdate())


def _record(world):
    return make_contact(world.cust_a, world.cm_c1_1, timezone.localdate())


def _appointment(world):
    return Appointment.objects.create(customer=world.cust_a, staff=world.cm_c1_1,
                                      planned_at=timezone.now() + dt.timedelta(hours=2))


class TestContactListPage(AccessMatrix):
    allowed = ("cm_c1_1", "cm_c2_1", "lead_c1", "head_c1", "hq_service")
    forbidden = NO_CUSTOMER_ROLE + ("archivist_c1", "auditor")

    def url(self, world):
        return "/contacts/"


class TestContactDetailPage(AccessMatrix):
    allowed = ("cm_c1_1", "lead_c1", "head_c1", "hq_service")
    forbidden = NO_CUSTOMER_ROLE
    hidden = ("cm_c1_2", "cm_c2_1", "head_c2")

    def url(self, world):
        return f"/contacts/{_record(world).pk}/"


class TestContactExport(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1", "hq_service")
    forbidden = NO_CUSTOMER_ROLE

    def url(self, world):
        return "/contacts/export/"


class TestContactQuickAddForm(AccessMatrix):
    allowed = ("cm_c1_1", "lead_c1", "head_c1")
    forbidden = ("teller_c1", "hq_service", "auditor", "admin")
    hidden = ("cm_c1_2", "cm_c2_1", "head_c2")

    def url(self, world):
        return f"/contacts/new/?customer={world.cust_a.pk}"


class TestContactQuickAddPost(AccessMatrix):
    method = "post"
    ok_status = (302,)
    allowed = ("cm_c1_1", "head_c1")
    forbidden = ("teller_c1", "hq_service", "admin")
    hidden = ("cm_c2_1", "head_c2", "cm_c1_2")

    def url(self, world):
        return f"/contacts/new/?customer={world.cust_a.pk}"

    def payload(self, world):
        return {"customer": world.cust_a.pk, "kind": "phone",
                "contacted_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}


class TestDueListPage(AccessMatrix):
    allowed = ("cm_c1_1", "lead_c1", "head_c1", "branch1_service")
    forbidden = NO_CUSTOMER_ROLE

    def url(self, world):
        return "/contacts/due/"


class TestCoveragePage(AccessMatrix):
    allowed = ("head_c1", "lead_c1", "hq_service")
    forbidden = ("cm_c1_1", "teller_c1", "admin", "auditor")

    def url(self, world):
        return "/contacts/coverage/"


class TestAppointmentWeekPage(AccessMatrix):
    allowed = ("cm_c1_1", "lead_c1", "head_c1")
    forbidden = ("teller_c1", "hq_service", "admin")

    def url(self, world):
        return "/contacts/appointments/"


class TestAppointmentDoneForm(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1")
    forbidden = ("teller_c1", "hq_service")
    hidden = ("cm_c1_2", "cm_c2_1", "head_c2")

    def url(self, world):
        return f"/contacts/appointments/{_appointment(world).pk}/done/"


class TestAppointmentCreateForm(AccessMatrix):
    allowed = ("cm_c1_1", "head_c1")
    forbidden = ("teller_c1", "hq_service", "admin")

    def url(self, world):
        return "/contacts/appointments/new/"


class TestContactApiList(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c1", "hq_service")
    forbidden = NO_CUSTOMER_ROLE + ("auditor",)

    def url(self, world):
        return "/api/v1/contacts/"


class TestContactApiDetail(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c1", "hq_service")
    forbidden = NO_CUSTOMER_ROLE
    hidden = ("cm_c1_2", "cm_c2_1", "head_c2")

    def url(self, world):
        return f"/api/v1/contacts/{_record(world).pk}/"


class TestContactApiCreate(AccessMatrix):
    api = True
    method = "post"
    ok_status = (201,)
    allowed = ("cm_c1_1",)
    forbidden = ("teller_c1", "hq_service", "auditor")

    def url(self, world):
        return "/api/v1/contacts/"

    def payload(self, world):
        return {"customer": world.cust_a.pk, "kind": "phone", "contacted_at": timezone.now().isoformat()}


class TestAppointmentApiList(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c1", "hq_service")
    forbidden = NO_CUSTOMER_ROLE

    def url(self, world):
        return "/api/v1/appointments/"


class TestAppointmentApiDetail(AccessMatrix):
    api = True
    allowed = ("cm_c1_1", "head_c1")
    forbidden = NO_CUSTOMER_ROLE
    hidden = ("cm_c1_2", "cm_c2_1", "head_c2")

    def url(self, world):
        return f"/api/v1/appointments/{_appointment(world).pk}/"
