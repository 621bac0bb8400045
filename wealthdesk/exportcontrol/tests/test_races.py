"""Races (DESIGN rule 13; issue 15): of 20 concurrent approvals one wins; of 20 concurrent downloads one file leaves."""
import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from wealthdesk.core.models import AuditLog
from wealthdesk.core.testing.races import race, requires_postgres
from wealthdesk.exportcontrol import services
from wealthdesk.exportcontrol.choices import RequestStatus
from wealthdesk.exportcontrol.models import ExportRequest

from .factories import EXPORT_URL, contacts

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


def _request(world):
    contacts(world, 51)
    request = RequestFactory().get("/")
    request.user = world.cm_c1_1
    return services.request_export(request, actor=world.cm_c1_1, url=EXPORT_URL, reason="回访")


def test_one_approval_wins(world):
    req = _request(world)
    result = race(lambda r: services.decide(actor=world.head_c1, req=r, approve=True, comment="同意"),
                  prepare=lambda: ExportRequest.objects.get(pk=req.pk))
    result.assert_one_winner(ValidationError)
    req.refresh_from_db()
    assert req.status == RequestStatus.APPROVED and req.version == 2


def test_one_download_wins(world):
    req = _request(world)
    services.decide(actor=world.head_c1, req=req, approve=True)

    def attempt(r):
        request = RequestFactory().get("/")
        request.user = world.cm_c1_1
        return services.download(request, actor=world.cm_c1_1, req=r)

    result = race(attempt, prepare=lambda: ExportRequest.objects.get(pk=req.pk))
    result.assert_one_winner(services.DownloadRefused)
    assert all(e.status == 410 for e in result.errors)
    assert AuditLog.objects.filter(action="export", detail__approval=req.pk).count() == 1
