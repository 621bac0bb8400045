"""Browser journey (issue: client-manager workbench): cm_c1_1 records a phone contact from the workbench for an
overdue VIP, who then leaves the overdue list, and submits the day's log; head_c1 reviews it with a comment and
records the debrief (R9, R10, R11, R26, R27)."""
import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from wealthdesk.contacts.models import ContactRecord
from wealthdesk.core.audit import audited_update
from wealthdesk.core.testing.browser import login, screenshot
from wealthdesk.core.testing.world import PASSWORD
from wealthdesk.customers.models import Customer
from wealthdesk.worklogs.choices import LogStatus
from wealthdesk.worklogs.models import DailyLog, Debrief

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_workbench_contact_log_review_and_debrief(page, world):
    vip = world.cust_a
    audited_update(Customer.objects.filter(pk=vip.pk), actor=None, what="test set-up", created_at=timezone.now() - dt.timedelta(days=120))

    login(page, "cm_c1_1", PASSWORD)
    assert page.url.endswith("/worklogs/workbench/")
    overdue = page.locator("[data-testid=overdue-list]")
    assert "张伟" in overdue.inner_text()
    page.click(f"[data-testid=contact-{vip.pk}]")
    dialog = page.locator("#wd-modal [data-testid=contact-form]")
    dialog.wait_for()
    dialog.locator("input[name=kind][value=phone]").check()
    dialog.locator("input[name=purpose]").fill("季度回访，提醒理财到期")
    dialog.locator("textarea[name=response]").fill("客户同意下周面谈")
    dialog.locator("[data-testid=save-contact]").click()
    expect(page.locator("[data-testid=overdue-list]")).not_to_contain_text("张伟")
    expect(page.locator("[data-testid=overdue-count]")).to_have_text("0")
    assert ContactRecord.objects.get(customer=vip).kind == "phone"

    page.click("[data-testid=open-today-log]")
    form = page.locator("[data-testid=log-form]")
    assert page.locator("[data-testid=known-figures] [data-field=customers_contacted]").inner_text().endswith("1")
    form.locator("textarea[name=difficulties]").fill("客户对净值波动有顾虑")
    form.locator("textarea[name=help_needed]").fill("需要基金公司专家陪访")
    screenshot(page, "worklogs-daily-log")
    page.click("[data-testid=submit-log]")
    assert page.inner_text("[data-testid=log-status]") == "已提交"
    log = DailyLog.objects.get(staff=world.cm_c1_1)
    assert log.customers_contacted == 1 and log.help_requests.count() == 1

    page.click("text=退出")
    login(page, "head_c1", PASSWORD)
    assert page.url.endswith("/worklogs/team/")
    page.locator("[data-testid=unreviewed] a", has_text="批阅").first.click()
    page.fill("[data-testid=review-form] textarea[name=comment]", "注意及时安排专家陪访")
    page.click("[data-testid=mark-reviewed]")
    assert page.inner_text("[data-testid=log-status]") == "已批阅"
    assert "注意及时安排专家陪访" in page.inner_text("[data-testid=review-comment]")

    page.goto("/worklogs/team/")
    page.click("[data-manager=cm_c1_1] [data-testid=debrief-face]")
    page.wait_for_selector("[data-manager=cm_c1_1] [data-testid=debriefed]")
    screenshot(page, "worklogs-head-view")
    log.refresh_from_db()
    assert log.status == LogStatus.REVIEWED and log.reviewed_by == world.head_c1
    assert Debrief.objects.get(staff=world.cm_c1_1).supervisor == world.head_c1
