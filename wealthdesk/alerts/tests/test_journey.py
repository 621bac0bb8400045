"""Browser journey (issue: core-banking data and money watch): a large outflow is scanned into an alert;
cm_c1_1 sees it on my alerts, opens the evidence and closes it with a reason; head_c1 reviews the closure."""
import datetime as dt

import pytest

from wealthdesk.alerts.models import Alert
from wealthdesk.alerts.services import alerts_scan
from wealthdesk.core.testing.browser import login, nav, screenshot
from wealthdesk.core.testing.world import PASSWORD

from .helpers import txn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_client_manager_closes_a_large_outflow_alert_and_head_reviews_it(page, world):
    day = dt.date.today() - dt.timedelta(days=1)
    txn(world.cust_a, day, "800000.00", counterparty="other_bank", channel="online")
    alerts_scan(as_of=day)
    alert = Alert.objects.get(kind="single_outflow")

    login(page, "cm_c1_1", PASSWORD)
    nav(page, "alerts.mine")
    page.wait_for_selector(f"[data-alert='{alert.pk}']")
    page.click(f"[data-alert='{alert.pk}'] >> text=张伟")
    assert "800,000.00" in page.inner_text("[data-testid=evidence]")
    page.click("[data-action=close]")
    page.wait_for_selector("[data-testid=action-form]")
    page.select_option("#id_reason", "large_purchase")
    page.click("[data-testid=action-form] button[type=submit]")
    page.wait_for_selector("[data-error-for=measures]")  # measures are required
    page.fill("#id_measures", "客户购房支付首付，已推荐我行房贷及后续定期理财")
    page.click("[data-testid=action-form] button[type=submit]")
    page.wait_for_selector("[data-testid=close-reason]")
    assert "大额消费" in page.inner_text("[data-testid=close-reason]")
    screenshot(page, "alerts-closed-by-client-manager")

    page.click("text=退出")
    login(page, "head_c1", PASSWORD)
    page.goto("/alerts/?status=pending_review")
    page.click(f"[data-alert='{alert.pk}'] >> text=#{alert.pk}")
    page.click("[data-action=review]")
    page.wait_for_selector("[data-testid=action-form]")
    page.fill("#id_comment", "原因属实，措施得当")
    page.click("[data-testid=action-form] button[type=submit]")
    page.wait_for_selector("[data-testid=review-state] >> text=复核通过")
    screenshot(page, "alerts-reviewed-by-head")
    alert.refresh_from_db()
    assert alert.review_state == "approved" and alert.reviewed_by == world.head_c1
