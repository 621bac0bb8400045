"""The branch's regional market and customer information for head office (R40) on core's submission chain: the
branch writes and submits it, head office receives or returns it; the due board lists the branches, not centers."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wealthdesk.cases import market
from wealthdesk.cases.models import MarketInfoReport
from wealthdesk.core.submission import SubmissionStatus, due_board, submission_receive, submission_submit
from wealthdesk.core.testing.permissions import AccessMatrix

pytestmark = pytest.mark.django_db


def _report(world):
    if "_market" not in world.__dict__:
        world.__dict__["_market"] = market.report_create(actor=world.branch1_service, day=timezone.localdate())
    return world.__dict__["_market"]


def test_the_branch_writes_and_submits_and_head_office_receives(world):
    report = _report(world)
    assert report.receiver_unit == world.hq and report.due_on > report.period_start
    assert report.figures["tiers"]["core"]["customers"] == 1
    with pytest.raises(ValidationError) as exc:
        submission_submit(actor=world.branch1_service, report=report)
    assert "market" in exc.value.message_dict
    report = market.report_update(actor=world.branch1_service, report=report, version=report.version,
                                  market="大额存单到期集中", customers="", competitors="", suggestions="")
    submission_submit(actor=world.branch1_service, report=report)
    report = submission_receive(actor=world.hq_service, report=report, comment="已阅")
    assert MarketInfoReport.objects.get().status == SubmissionStatus.RECEIVED
    assert MarketInfoReport.objects.visible_to(world.hq_service).count() == 1
    assert not MarketInfoReport.objects.visible_to(world.head_c1).exists()


def test_only_a_tier_one_branch_writes_one(world):
    with pytest.raises(PermissionDenied):
        market.report_create(actor=world.subbranch1_service, day=timezone.localdate())
    with pytest.raises(PermissionDenied):
        market.report_create(actor=world.hq_service, day=timezone.localdate())


def test_the_due_board_at_head_office_lists_the_branches(world):
    rows = [r for r in due_board(world.hq_service) if r.kind.key == "market_info"]
    assert {r.unit.code for r in rows} == {"B1", "B2"}


def test_the_page_saves_and_shows_the_submit_message(client, world):
    report = _report(world)
    client.force_login(world.branch1_service)
    response = client.post(f"/cases/market/{report.pk}/", {"action": "submit", "version": report.version})
    assert response.status_code == 400 and "请填写区域市场信息后再报送。" in response.content.decode()
    response = client.post(f"/cases/market/{report.pk}/", {"market": "需求旺盛", "version": report.version})
    assert response.status_code == 302
    response = client.post(f"/cases/market/{report.pk}/", {"market": "再改", "version": report.version})
    assert response.status_code == 409


class TestMarketDetail(AccessMatrix):
    allowed = ("branch1_service",)
    forbidden = ("head_c1", "cm_c1_1", "teller_c1", "subbranch1_service")
    hidden = ("hq_service",)  # a draft stays with the branch until submitted

    def url(self, world):
        return f"/cases/market/{_report(world).pk}/"


class TestMarketList(AccessMatrix):
    allowed = ("branch1_service", "hq_service")
    forbidden = ("head_c1", "cm_c1_1", "teller_c1", "advisor_1")

    def url(self, world):
        return "/cases/market/"
