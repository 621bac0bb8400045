"""Browser journey (issue: foundation): a client manager finds a customer, opens the masked detail, reveals
the mobile with a reason (audit row appears); a teller cannot reach the customer list."""
import pytest

from wealthdesk.core.models import AuditAction, AuditLog
from wealthdesk.core.testing.browser import login, nav, screenshot
from wealthdesk.core.testing.world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_client_manager_reveals_mobile_and_teller_is_kept_out(page, world):
    login(page, "cm_c1_1", PASSWORD)
    nav(page, "customers")
    page.fill("input[name=q]", "1234")  # last four digits of the mobile
    page.wait_for_selector("[data-testid=customer-table] >> text=张伟")
    assert page.locator("[data-testid=customer-table] tbody tr").count() == 1
    assert "138****1234" in page.inner_text("[data-testid=customer-table]")
    page.click("text=张伟")
    assert page.inner_text("[data-testid=mobile]") == "138****1234"
    assert "13812341234" not in page.content()
    form = page.locator("[data-reveal=mobile]")
    form.locator("input[name=reason]").fill("客户来电核对联系方式")
    form.locator("button").click()
    page.wait_for_selector("[data-revealed=mobile]")
    assert page.inner_text("[data-testid=mobile]") == "13812341234"
    screenshot(page, "customer-detail-revealed")
    row = AuditLog.objects.get(action=AuditAction.REVEAL, customer_id=world.cust_a.pk)
    assert row.actor_name == "cm_c1_1" and row.detail == {"field": "mobile", "reason": "客户来电核对联系方式"}

    page.click("text=退出")
    login(page, "teller_c1", PASSWORD)
    assert page.locator("[data-nav=customers]").count() == 0
    response = page.goto("/customers/")
    assert response.status == 403
