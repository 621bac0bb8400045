"""Browser journey (R1, R32 on the monitor): branch1_service opens the compliance monitor, drills down from the
branch to the center and follows an overdue complaint to its record; a future date shows its message."""
import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from wealthdesk.complaints.tests.helpers import record
from wealthdesk.core.testing.browser import login, nav, screenshot
from wealthdesk.core.testing.world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_branch_follows_an_overdue_complaint_from_the_monitor(page, world):
    complaint = record(world)
    today = timezone.localdate()
    complaint.due_on = complaint.original_due_on = today - dt.timedelta(days=1)
    complaint.received_on = today - dt.timedelta(days=30)
    complaint.save()
    login(page, "branch1_service", PASSWORD)
    nav(page, "compliance")
    expect(page.locator("h1")).to_contain_text("北京分行")
    expect(page.locator("[data-rule=R32] [data-testid=overdue]")).to_have_text("1")
    page.click("[data-testid=children] a:has-text('朝阳支行')")
    expect(page.locator("h1")).to_contain_text("朝阳支行")
    page.click("[data-testid=children] a:has-text('朝阳理财中心')")
    expect(page.locator("h1")).to_contain_text("朝阳理财中心")
    expect(page.locator("[data-testid=crumbs]")).to_contain_text("北京分行")
    screenshot(page, "compliance-monitor")
    page.click("[data-rule=R32] [data-testid=overdue-link]")
    page.wait_for_load_state("networkidle")
    assert "/complaints/" in page.url and "overdue=1" in page.url
    page.click(f"a[href='/complaints/{complaint.pk}/']")
    expect(page.locator("body")).to_contain_text("排队等候超过一小时")


def test_a_future_date_shows_the_reason(page, world):
    login(page, "head_c1", PASSWORD)
    page.goto("/compliance/")
    page.fill("#id_date", "2099-01-01")
    page.click("form button:has-text('查询')")
    expect(page.locator("[data-testid=bad-request]")).to_contain_text("date")
    expect(page.locator("[data-testid=bad-request]")).to_contain_text("监测日期不能晚于今天")
