"""Server errors found in acceptance (issue 9): an appointment posted without ``kind`` was a TypeError (500)."""
import datetime as dt

import pytest
from django.utils import timezone

from wealthdesk.contacts.choices import ContactKind
from wealthdesk.contacts.models import Appointment

pytestmark = pytest.mark.django_db


def test_appointment_without_kind_is_planned_as_a_meeting(world, api_as):
    planned = (timezone.now() + dt.timedelta(days=2)).isoformat()
    response = api_as("cm_c1_1").post("/api/v1/appointments/", {"customer": world.cust_a.pk, "planned_at": planned},
                                      format="json")
    assert response.status_code == 201, response.content
    assert Appointment.objects.get(pk=response.json()["id"]).kind == ContactKind.MEETING


def test_appointment_without_time_is_400_naming_the_field(world, api_as):
    response = api_as("cm_c1_1").post("/api/v1/appointments/", {"customer": world.cust_a.pk}, format="json")
    assert response.status_code == 400 and "planned_at" in response.json()


def test_appointment_in_year_9999_is_400(world, api_as):
    response = api_as("cm_c1_1").post("/api/v1/appointments/", {"customer": world.cust_a.pk,
                                                                "planned_at": "9999-12-31T10:00:00+08:00"},
                                      format="json")
    assert response.status_code == 400 and "planned_at" in response.json()
