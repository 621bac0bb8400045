"""Browser journey (R33, R26): head office defines a new indicator on contact coverage — a unit that does not match
the data source is refused with a message — then head_c1 sets the center's month target on it (120 % is refused,
nothing saved; 80 % is kept) and sees the progress: the center's coverage is the sum of met over the sum of due,
behind the target."""
import pytest

from wealthdesk.core.testing.browser import login, nav, screenshot
from wealthdesk.core.testing.world import PASSWORD
from wealthdesk.targets.models import Indicator, Target

from .helpers import last_month
from .test_new_indicators import coverage_fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_head_office_defines_coverage_and_the_head_sees_progress(page, world):
    month = last_month()
    coverage_fixture(world)

    login(page, "hq_service", PASSWORD)
    page.goto("/targets/indicators/new/")
    page.fill("#id_code", "coverage")
    page.fill("#id_name", "联系覆盖率")
    page.select_option("#id_metric_key", "contact_coverage")
    page.select_option("#id_unit", "count")
    page.fill("#id_default_weight", "100")
    page.click("[data-testid=indicator-form] button")
    page.wait_for_selector("[data-testid=errors] >> text=指标单位须与数据来源一致")
    assert not Indicator.objects.exists()
    page.select_option("#id_unit", "percent")
    page.click("[data-testid=indicator-form] button")
    page.wait_for_selector("[data-testid=indicator-table] >> text=联系覆盖率")
    assert Indicator.objects.get(code="coverage").unit == "percent"

    page.goto("about:blank")
    page.context.clear_cookies()
    login(page, "head_c1", PASSWORD)
    nav(page, "targets")
    page.goto(f"/targets/plan/?kind=month&period={month:%Y-%m}")
    page.fill("#id_amount_coverage", "120")
    page.fill("[name=weight_coverage]", "100")
    page.click("[data-testid=plan-submit]")
    page.wait_for_selector("[data-testid=errors] >> text=不能超过 100")
    assert not Target.objects.exists()
    screenshot(page, "targets-percent-over-100")
    page.fill("#id_amount_coverage", "80")
    page.click("[data-testid=plan-submit]")
    page.wait_for_load_state("networkidle")
    target = Target.objects.get(indicator__code="coverage", unit=world.c1, staff__isnull=True)

    page.goto(f"/targets/?level=unit&indicator=coverage&kind=month&period={month:%Y-%m}")
    page.click(f"[data-testid=target-row] a[href='/targets/{target.pk}/']")
    cells = page.inner_text("[data-testid=target-progress] tbody")
    assert "50" in cells and "80" in cells and "-30" in cells, cells
    assert page.locator("[data-testid=behind]").count() == 1
    assert page.locator("[data-testid=percent-note]").count() == 1
    screenshot(page, "targets-coverage-progress")
