"""Browser journeys of issue 16: head office pages through the customer list (next, previous, filters kept),
and picks a client manager in the alert list's search picker; a bad cursor shows a clear message."""
from decimal import Decimal

import pytest

from wealthdesk.core.testing.browser import login, nav, pick, screenshot
from wealthdesk.core.testing.world import PASSWORD
from wealthdesk.customers.choices import IdType, Tier
from wealthdesk.customers.models import Customer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_head_office_pages_the_customer_list_and_picks_a_manager_for_alerts(page, world):
    Customer.objects.bulk_create([
        Customer(cif_no=f"X{i:09d}", name=f"客户{i}", id_type=IdType.PASSPORT, id_number=f"P{i}",
                 center=world.c1 if i % 2 else world.c2, client_manager=world.cm_c1_1 if i % 2 else world.cm_c2_1,
                 tier=Tier.PREMIUM, aum=Decimal(500000), aum_avg=Decimal(500000)) for i in range(60)])
    login(page, "hq_service", PASSWORD)
    nav(page, "customers")
    page.select_option("select[name=tier]", Tier.PREMIUM)
    page.wait_for_selector("[data-testid=list-count] >> text=共 61 条")
    first = page.inner_text("[data-testid=customer-table] tbody tr >> nth=0")
    page.click("[data-testid=page-next]")
    page.wait_for_selector("[data-testid=page-number] >> text=第 2 页")
    assert "tier=premium" in page.url and "cursor=" in page.url
    assert page.inner_text("[data-testid=customer-table] tbody tr >> nth=0") != first
    page.click("[data-testid=page-next]")
    page.wait_for_selector("[data-testid=page-number] >> text=第 3 页")
    assert page.locator("[data-testid=customer-table] tbody tr").count() == 11
    assert page.locator("[data-testid=page-next]").count() == 0
    screenshot(page, "customer-list-keyset-page-3")
    page.click("[data-testid=page-previous]")
    page.wait_for_selector("[data-testid=page-number] >> text=第 2 页")
    page.click("[data-testid=page-previous]")
    page.wait_for_selector("[data-testid=page-number] >> text=第 1 页")
    assert page.inner_text("[data-testid=customer-table] tbody tr >> nth=0") == first

    response = page.goto("/customers/?cursor=broken")
    assert response.status == 400 and "翻页参数无效" in page.content()

    from wealthdesk.alerts.tests.test_list_pages import add_alerts

    add_alerts(world, 6)
    page.goto("/alerts/")
    assert page.locator("select[name=manager]").count() == 0
    pick(page, "manager", "cm_c2", "cm_c2_1")
    page.wait_for_url("**manager=*")
    page.wait_for_load_state("networkidle")
    rows = page.locator("[data-testid=alert-table] tbody tr")
    assert rows.count() == 2 and "cm_c2_1" in page.inner_text("[data-testid=alert-table]")
    assert "cm_c1_1" not in page.inner_text("[data-testid=alert-table]")
    screenshot(page, "alert-list-manager-picker")
    response = page.goto("/alerts/?manager=999999")
    assert response.status == 400 and "所选客户经理不存在或不在您的查看范围内" in page.content()
