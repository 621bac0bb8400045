"""R19: the topic is approved by the head, the head submits the report upward, the receiving level shares it, and
other centers read it in the library — with customer data masked."""

import pytest

from wealthdesk.core.submission import SubmissionStatus, submission_receive, submission_share, submission_submit
from wealthdesk.core.testing.exports import workbook
from wealthdesk.reports import selectors
from wealthdesk.reports.models import Report

from .helpers import semiannual

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(world):
    report = semiannual(world)
    submission_submit(actor=world.head_c1, report=report)
    submission_receive(actor=world.subbranch1_service, report=report, comment="有借鉴意义")
    submission_share(actor=world.subbranch1_service, report=report)
    report.refresh_from_db()
    return report


def test_another_center_reads_the_shared_report_masked(login_as, world, shared):
    html = login_as("cm_c2_1").get(f"/reports/{shared.pk}/").content.decode()
    assert "到期存款客户的理财转化" in html
    assert "张伟" not in html and "13812341234" not in html and "110105198001010016" not in html
    assert "张*" in html and "138****1234" in html and "已脱敏" in html


def test_the_author_reads_it_in_clear(login_as, world, shared):
    html = login_as("cm_c1_1").get(f"/reports/{shared.pk}/").content.decode()
    assert "张伟" in html


def test_the_library_finds_it_by_topic_tier_product_and_period(login_as, world, shared):
    client = login_as("head_c2")
    assert "到期存款" in client.get("/reports/library/?q=到期存款").content.decode()
    assert "到期存款" in client.get("/reports/library/?tier=core&product=稳健").content.decode()
    assert "到期存款" not in client.get("/reports/library/?tier=private").content.decode()
    assert "到期存款" in client.get(f"/reports/library/?period={shared.period_label}").content.decode()
    bad = client.get("/reports/library/?period=2026X9")
    assert bad.status_code == 400 and "期间格式不正确" in bad.content.decode()


def test_a_report_not_yet_shared_is_not_in_the_library(login_as, world):
    report = semiannual(world)
    submission_submit(actor=world.head_c1, report=report)
    assert not selectors.library(world.cm_c2_1).exists()
    assert login_as("cm_c2_1").get(f"/reports/{report.pk}/").status_code == 404


def test_the_api_gives_the_masked_copy_to_another_center(api_as, world, shared):
    data = api_as("cm_c2_1").get(f"/api/v1/reports/{shared.pk}/").json()
    assert data["status"] == SubmissionStatus.SHARED
    assert "张伟" not in str(data["content"]) and "13812341234" not in str(data["content"])


def test_the_excel_export_is_masked_for_another_center(login_as, world, shared):
    response = login_as("cm_c2_1").get(f"/reports/{shared.pk}/export/")
    wb = workbook(response)
    text = " ".join(str(c.value) for row in wb.active.iter_rows() for c in row if c.value)
    assert "《客户与市场半年度分析报告》" in text and "张伟" not in text and "张*" in text


def test_the_shared_copy_is_the_frozen_one(world, shared):
    Report.objects.filter(pk=shared.pk).update(body={"analysis": "后来被改的文字"})
    shared.refresh_from_db()
    text = selectors.masked_content(shared, frozen=True)["body"]["analysis"]
    assert "到期存款" in text and "后来被改的文字" not in text
