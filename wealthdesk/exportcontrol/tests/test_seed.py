"""Demo data of export approval (issue 15): every status, and the approved one really downloads once."""
import pytest
from django.core.management import call_command

from wealthdesk.core.seeding import SIZES
from wealthdesk.exportcontrol.choices import RequestStatus
from wealthdesk.exportcontrol.models import ExportRequest
from wealthdesk.staff.models import User

pytestmark = pytest.mark.django_db


def test_seed_has_every_status_and_the_approved_one_downloads(client, monkeypatch):
    monkeypatch.setitem(SIZES, "small", 300)
    call_command("seed_demo", "--size", "small", "--today", "2026-11-27", stdout=open("/dev/null", "w"))
    assert set(ExportRequest.objects.values_list("status", flat=True)) == set(RequestStatus.values)
    approved = ExportRequest.objects.get(status=RequestStatus.APPROVED)
    client.force_login(User.objects.get(username="cm_c1_1"))
    assert client.get(f"/exportcontrol/{approved.pk}/").status_code == 200
    response = client.post(f"/exportcontrol/{approved.pk}/download/")
    assert response.status_code == 200
    assert client.post(f"/exportcontrol/{approved.pk}/download/").status_code == 410
