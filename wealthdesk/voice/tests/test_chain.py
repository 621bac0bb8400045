"""The monthly needs summary and survey report travel core's submission chain (R20, R21, R24): the sub-branch
receives them or returns them for rework; the opinion book is analysed by product line and position (R23)."""
import datetime as dt

import pytest
from django.utils import timezone

from wealthdesk.core.submission import SubmissionEvent, SubmissionStatus
from wealthdesk.voice import selectors, services
from wealthdesk.voice.models import NeedsSummary, SurveyReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def summary(world):
    month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    s = services.report_build(actor=world.head_c1, model=NeedsSummary, center=world.c1, month=month)
    services.report_update(actor=world.head_c1, report=s, commentary="投资类需求集中")
    return s


def test_the_built_summary_knows_its_receiver_and_due_date(world, summary):
    assert summary.receiver_unit == world.sub1 and summary.due_on > summary.month


def test_the_sub_branch_receives_the_submitted_summary_on_its_page(login_as, world, summary):
    services.report_submit(actor=world.head_c1, report=summary)
    assert summary.status == SubmissionStatus.SUBMITTED and summary.snapshot["commentary"] == "投资类需求集中"
    client = login_as("subbranch1_service")
    page = client.get(f"/voice/summaries/{summary.pk}/").content.decode()
    assert 'data-testid="chain-receive"' in page
    response = client.post(f"/voice/summaries/{summary.pk}/", {"action": "receive", "comment": "收到"})
    assert response.status_code == 302
    summary.refresh_from_db()
    assert summary.status == SubmissionStatus.RECEIVED and summary.received_by == world.subbranch1_service


def test_returning_without_a_comment_shows_the_message_and_changes_nothing(login_as, world, summary):
    services.report_submit(actor=world.head_c1, report=summary)
    response = login_as("subbranch1_service").post(f"/voice/summaries/{summary.pk}/", {"action": "return",
                                                                                       "comment": ""})
    assert response.status_code == 400 and "退回修改必须填写意见" in response.content.decode()
    summary.refresh_from_db()
    assert summary.status == SubmissionStatus.SUBMITTED


def test_a_returned_summary_is_a_draft_again_and_the_head_can_rebuild_it(login_as, world, summary):
    services.report_submit(actor=world.head_c1, report=summary)
    login_as("subbranch1_service").post(f"/voice/summaries/{summary.pk}/", {"action": "return", "comment": "补充建议"})
    summary.refresh_from_db()
    assert summary.status == SubmissionStatus.DRAFT and summary.return_comment == "补充建议"
    html = login_as("head_c1").get(f"/voice/summaries/{summary.pk}/").content.decode()
    assert "补充建议" in html and "退回修改" in html
    services.report_build(actor=world.head_c1, model=NeedsSummary, center=world.c1, month=summary.month)
    services.report_submit(actor=world.head_c1, report=summary)
    assert [e.action for e in SubmissionEvent.objects.filter(object_type="voice.needssummary",
                                                             object_id=summary.pk)] == ["submit", "return", "submit"]


def test_a_center_head_cannot_receive_its_own_summary(login_as, world, summary):
    services.report_submit(actor=world.head_c1, report=summary)
    response = login_as("head_c1").post(f"/voice/summaries/{summary.pk}/", {"action": "receive"})
    assert response.status_code == 400 and "接收机构" in response.content.decode()
    summary.refresh_from_db()
    assert summary.status == SubmissionStatus.SUBMITTED


def test_a_stale_edit_of_the_summary_is_refused(login_as, world, summary):
    client = login_as("head_c1")
    response = client.post(f"/voice/summaries/{summary.pk}/", {"action": "save", "commentary": "旧的",
                                                               "version": summary.version - 1})
    assert response.status_code == 409 and "已被他人修改" in response.content.decode()
    summary.refresh_from_db()
    assert summary.commentary == "投资类需求集中"


def test_the_survey_report_is_on_the_chain_too(world):
    month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    r = services.report_build(actor=world.head_c1, model=SurveyReport, center=world.c1, month=month)
    services.report_update(actor=world.head_c1, report=r, analysis="偏好稳健")
    services.report_submit(actor=world.head_c1, report=r)
    assert r.status == SubmissionStatus.SUBMITTED and r.receiver_unit == world.sub1


def test_the_opinion_book_is_analysed_by_product_line_and_position(world):
    post = services.opinion_post
    post(unit=world.c1, content="柜台排队太久了", kind="complaint", position="cash_counter", product_line="deposit",
         rating=2)
    post(unit=world.c1, content="柜员办理很快很耐心", kind="praise", position="cash_counter", rating=4)
    post(unit=world.c1, content="希望多些理财讲座", kind="need", position="client_manager", product_line="investment",
         rating=5)
    today = timezone.localdate()
    f = selectors.needs_figures(world.c1.pk, today.replace(day=1))["opinions"]
    assert f["total"] == 3 and f["by_product"]["deposit"] == 1 and f["by_product"]["investment"] == 1
    cash = f["by_position"]["cash_counter"]
    assert (cash["n"], cash["complaints"], cash["praise"], cash["avg_rating"]) == (2, 1, 1, 3.0)
    assert f["by_position"]["client_manager"]["avg_rating"] == 5.0


def test_the_public_book_refuses_an_unknown_position(client, world):
    response = client.post("/voice/o/C1/", {"kind": "opinion", "content": "服务很好很周到", "position": "boss"})
    assert response.status_code == 400
    from wealthdesk.voice.models import Opinion

    assert not Opinion.objects.exists()
