"""Browser journey (issue 14, R18): cm_c1_1 writes the monthly customer & market report (figures pre-filled) and
submits it; head_c1 tries to return it without a comment (the message shows, nothing changes), then receives it."""
import pytest

from wealthdesk.core.submission import SubmissionStatus
from wealthdesk.core.testing.browser import login, nav, screenshot
from wealthdesk.core.testing.world import PASSWORD
from wealthdesk.reports.models import Report

from .helpers import last_period

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_monthly_report_written_submitted_and_received(page, world):
    login(page, "cm_c1_1", PASSWORD)
    nav(page, "reports")
    page.click("[data-testid=create-links] [data-kind=cm_monthly]")
    page.fill("input[name=period]", "2026Q9")
    page.click("[data-testid=create-form] button[type=submit]")
    page.wait_for_selector("[data-testid=field-error] >> text=期间格式不正确")  # bad input: a clear message
    page.fill("input[name=period]", f"{last_period('cm_monthly'):%Y-%m}")
    page.click("[data-testid=create-form] button[type=submit]")
    page.wait_for_selector("[data-testid=figures] [data-fig=contacts]")  # pre-filled from the metrics registry
    page.fill("textarea[name=customers]", "本月新增两位核心优质客户，到期存款大部分转投稳健理财。")
    page.fill("textarea[name=market]", "市场利率继续下行，客户偏好短期限产品。")
    page.click("[data-testid=save-report]")
    page.click("[data-testid=chain-submit]")
    page.wait_for_selector("[data-testid=chain-status] >> text=已报送")
    assert page.locator("[data-testid=report-form]").count() == 0, "a submitted report is frozen"
    report = Report.objects.get(author=world.cm_c1_1)
    page.click("text=退出")

    login(page, "head_c1", PASSWORD)
    page.goto("/reports/")
    page.click(f"[data-testid=incoming] a[href='/reports/{report.pk}/']")
    page.click("[data-testid=chain-return]")  # no comment
    page.wait_for_selector("[data-testid=chain-errors] >> text=退回修改必须填写意见")
    report.refresh_from_db()
    assert report.status == SubmissionStatus.SUBMITTED
    page.fill("#id_chain_comment", "内容翔实，请继续跟进到期客户。")
    page.click("[data-testid=chain-receive]")
    page.wait_for_selector("[data-testid=chain-status] >> text=已接收")
    page.wait_for_selector("[data-testid=receiver-comment] >> text=内容翔实")
    screenshot(page, "reports-monthly-received")
    report.refresh_from_db()
    assert report.status == SubmissionStatus.RECEIVED and report.received_by == world.head_c1
