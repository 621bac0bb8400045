"""Browser journey (issue 12, R1): hq_service opens the dashboard at head office and drills down branch →
sub-branch → center, where the rows are the client managers; a month in the future shows the reason."""
import pytest

from wealthdesk.core.testing.browser import login, nav, screenshot
from wealthdesk.core.testing.world import PASSWORD

from .helpers import fill

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hq_service_drills_down_to_a_center(page, world):
    fill(world)
    login(page, "hq_service", PASSWORD)
    nav(page, "dashboards")
    page.wait_for_selector("[data-testid=dashboard-unit] >> text=总行")
    page.wait_for_selector("[data-chart=chart-tiers] canvas")  # ECharts drew the chart (no inline script)
    assert page.locator("[data-testid=comparison-table] [data-figure=customers_total] [data-col=value]") \
        .inner_text() == "3"
    page.fill("input[name=period]", "2999-01")  # bad input: a month that has not come
    page.click("[data-testid=period-form] button[type=submit]")
    page.wait_for_selector("[data-testid=period-error] >> text=还没有到来")
    page.go_back()
    page.wait_for_selector("[data-testid=children-table]")
    for name in ("北京分行", "朝阳支行", "朝阳理财中心"):
        page.click(f"[data-testid=children-table] a[data-testid=drill] >> text={name}")
        page.wait_for_selector(f"[data-testid=dashboard-unit] >> text={name}")
    page.wait_for_selector("[data-testid=children-table] >> text=cm_c1_1")  # the center's client managers
    assert page.locator("[data-testid=comparison-table] [data-figure=customers_total] [data-col=value]") \
        .inner_text() == "2"
    assert page.locator("nav.breadcrumb, nav[aria-label=breadcrumb] a >> text=北京分行").count() >= 1
    screenshot(page, "dashboards-center")
