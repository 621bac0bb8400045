"""Browser journey (issue 12, R35): head_c1 drafts the operating report (figures pre-filled), tries to submit it
without the narrative (the message shows, nothing changes), writes it and submits it up the chain."""
import pytest

from wealthdesk.core.submission import SubmissionStatus
from wealthdesk.core.testing.browser import login, nav, screenshot
from wealthdesk.core.testing.world import PASSWORD
from wealthdesk.reports.models import Report

from .helpers import last_period

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_head_drafts_and_submits_the_operating_report(page, world):
    login(page, "head_c1", PASSWORD)
    nav(page, "reports")
    page.click("[data-testid=create-links] [data-kind=operating]")
    page.fill("input[name=period]", f"{last_period('operating'):%Y-%m}")
    page.click("[data-testid=create-form] button[type=submit]")
    page.wait_for_selector("[data-testid=figures] [data-fig=customers_total]")
    page.wait_for_selector("[data-testid=figures] [data-fig=contact_coverage]")
    page.wait_for_selector("[data-testid=figures] [data-fig=staff_total]")
    page.click("[data-testid=chain-submit]")  # no narrative yet
    page.wait_for_selector("[data-testid=chain-errors] >> text=请先填写“运营概况”再报送")
    report = Report.objects.get(unit=world.c1, kind="operating")
    assert report.status == SubmissionStatus.DRAFT
    page.fill("textarea[name=summary]", "本月客户资产稳步增长，优质客户联系全覆盖。")
    page.click("[data-testid=save-report]")
    page.click("[data-testid=chain-submit]")
    page.wait_for_selector("[data-testid=chain-status] >> text=已报送")
    report.refresh_from_db()
    assert report.status == SubmissionStatus.SUBMITTED and report.receiver_unit == world.sub1
    assert page.locator("[data-testid=export-pdf]").count() == 1
    screenshot(page, "reports-operating-submitted")
