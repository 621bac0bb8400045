"""Browser journey: the center head hands a leaving client manager's book to a colleague (preview, confirm), and
the colleague finds the notice under the bell."""
import pytest

from wealthdesk.core.testing.browser import login, nav, screenshot
from wealthdesk.core.testing.world import PASSWORD
from wealthdesk.customers.models import Customer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_head_hands_over_a_book_and_the_receiver_is_told(page, world):
    login(page, "head_c1", PASSWORD)
    nav(page, "customers")
    page.click("[data-testid=bulk-reassign]")
    page.select_option("#id_from_manager", str(world.cm_c1_1.pk))
    page.click("[data-testid=preview]")  # nothing chosen to receive: the message says so
    assert page.locator("[data-error-for=to_managers]").is_visible()
    page.check(f"[data-testid=to-managers] input[value='{world.cm_c1_2.pk}']")
    page.fill("#id_reason", "客户经理调岗")
    page.click("[data-testid=preview]")
    assert "cm_c1_2" in page.inner_text("[data-testid=bulk-preview]")
    assert Customer.objects.filter(client_manager=world.cm_c1_1).count() == 1  # preview moves nothing
    screenshot(page, "bulk-reassign-preview")
    page.click("[data-testid=confirm]")
    page.wait_for_selector(".alert-success")
    assert Customer.objects.filter(client_manager=world.cm_c1_1).count() == 0

    page.click("text=退出")
    login(page, "cm_c1_2", PASSWORD)
    page.wait_for_selector("[data-testid=unread-count]")
    assert page.inner_text("[data-testid=unread-count]") == "1"
    page.click("[data-testid=bell]")
    assert "已移交给您负责" in page.inner_text("[data-testid=notifications]")
    page.click("[data-testid=notifications] button[name=open]")
    page.wait_for_load_state("networkidle")
    assert "张伟" in page.inner_text("main")
    page.goto(f"/customers/{world.cust_a.pk}/")
    assert "客户经理调岗" in page.inner_text("[data-testid=manager-history]")


def test_client_manager_edits_contact_data_and_sees_a_bad_mobile_named(page, world):
    login(page, "cm_c1_1", PASSWORD)
    page.goto(f"/customers/{world.cust_a.pk}/")
    page.click("[data-testid=edit-customer]")
    assert page.get_attribute("#id_mobile", "placeholder") == "138****1234"
    assert page.locator("#id_name").count() == 0  # a client manager edits contact data only
    page.fill("#id_mobile", "12345")
    page.click("[data-testid=customer-edit] button[type=submit]")
    assert page.locator("[data-error-for=mobile]").is_visible()
    assert Customer.objects.get(pk=world.cust_a.pk).mobile == "13812341234"
    page.fill("#id_mobile", "13900001111")
    page.fill("#id_occupation", "工程师")
    page.click("[data-testid=customer-edit] button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert page.inner_text("[data-testid=mobile]") == "139****1111"
