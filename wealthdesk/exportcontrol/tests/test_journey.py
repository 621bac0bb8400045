"""Browser journey (issue 15; GB/T 35273 §7.1): cm_c1_1 exports more than the threshold of contact records and is
asked for a reason (bad input: an empty reason shows its message), head_c1 approves in the inbox, cm_c1_1
downloads the file once, and a second download shows the message."""
import pytest
from playwright.sync_api import expect

from wealthdesk.core.testing.browser import login, nav, screenshot
from wealthdesk.core.testing.world import PASSWORD
from wealthdesk.exportcontrol.choices import RequestStatus
from wealthdesk.exportcontrol.models import ExportRequest

from .factories import contacts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _logout(page):
    page.click("text=退出")
    page.wait_for_load_state("networkidle")


def test_large_export_asked_approved_downloaded_once(page, world):
    contacts(world, 51)
    login(page, "cm_c1_1", PASSWORD)
    page.goto("/contacts/")
    page.click("[data-testid=export-contacts]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-testid=needs-approval]")).to_contain_text("须经审批")
    expect(page.locator("[data-testid=rows]")).to_have_text("51")
    page.click("[data-testid=submit-request]")  # bad input: no reason
    expect(page.locator("[data-testid=errors]")).to_contain_text("导出理由：必填。")
    assert ExportRequest.objects.count() == 0
    page.fill("textarea[name=reason]", "季度到期客户集中电话回访")
    page.click("[data-testid=submit-request]")
    expect(page.locator("[data-testid=status]")).to_have_text("待审批")
    screenshot(page, "exportcontrol-request")
    _logout(page)

    login(page, "head_c1", PASSWORD)
    nav(page, "exportcontrol.inbox")
    req = ExportRequest.objects.get()
    page.click(f"[data-testid=open-request-{req.pk}]")
    expect(page.locator("[data-testid=reason]")).to_have_text("季度到期客户集中电话回访")
    page.fill("textarea[name=comment]", "同意，注意保密")
    page.click("[data-testid=approve]")
    expect(page.locator("[data-testid=status]")).to_have_text("已批准")
    _logout(page)

    login(page, "cm_c1_1", PASSWORD)
    nav(page, "exportcontrol.mine")
    page.click(f"[data-testid=open-request-{req.pk}]")
    with page.expect_download() as info:
        page.click("[data-testid=download]")
    assert info.value.suggested_filename.endswith(".xlsx")
    req.refresh_from_db()
    assert req.status == RequestStatus.DOWNLOADED
    page.click("[data-testid=download]")  # the button of the page still open: a second download
    expect(page.locator("[data-testid=download-refused]")).to_contain_text("已下载过一次")
    screenshot(page, "exportcontrol-second-download")
    page.goto(f"/exportcontrol/{req.pk}/")
    expect(page.locator("[data-testid=download]")).to_have_count(0)
