"""Browser journey (R36): head_c1 opens the customer-risk analysis from the navigation, chooses the half-year,
sees the suitability mismatches (masked, linked to the customer), writes the narrative and exports the analysis.
Bad input: a half-year not yet begun shows its message; an empty narrative shows its message and saves nothing."""
import pytest
from playwright.sync_api import expect

from wealthdesk.analyses.models import AnalysisNarrative
from wealthdesk.core.testing.browser import login, nav, screenshot
from wealthdesk.core.testing.world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_head_reviews_mismatches_writes_the_narrative_and_exports(page, world, fx):
    login(page, "head_c1", PASSWORD)
    nav(page, "analyses")
    page.click(f"a:text('{fx.period.label}')")
    page.click("[data-testid=analysis-risk]")
    mismatches = page.locator("[data-testid=table-mismatches] tbody tr")
    expect(mismatches).to_have_count(3)
    expect(page.locator("[data-testid=table-mismatches]")).not_to_contain_text("测试客户x5")
    expect(page.locator("[data-figure=mismatches]")).to_have_text("3")
    page.wait_for_function("document.querySelector('[data-chart=chart-customers] canvas') !== null")
    screenshot(page, "analyses-risk")

    page.click("[data-testid=save-narrative]")  # empty: the browser's own check or the server's message
    page.fill("textarea[name=body]", "   ")
    page.click("[data-testid=save-narrative]")
    expect(page.locator("[data-testid=body-error], [data-testid=narrative-errors]").first).to_contain_text("分析意见不能为空")
    assert not AnalysisNarrative.objects.exists()

    page.fill("textarea[name=body]", "三笔风险不匹配持仓：已安排客户经理回访并重新评估。")
    page.click("[data-testid=save-narrative]")
    expect(page.locator(".alert-success")).to_contain_text("分析意见已保存")
    expect(page.locator("textarea[name=body]")).to_have_value("三笔风险不匹配持仓：已安排客户经理回访并重新评估。")
    assert AnalysisNarrative.objects.get().version == 1

    with page.expect_download() as info:
        page.click("[data-testid=export]")
    assert info.value.suggested_filename.endswith(f"-{world.c1.code}-{fx.period.label}.xlsx")

    link = page.locator("[data-testid=table-mismatches] [data-testid=customer-link]").first
    link.click()
    expect(page).to_have_url(__import__("re").compile(r"/customers/\d+/"))


def test_a_half_year_not_yet_begun_shows_the_message(page, world):
    login(page, "head_c1", PASSWORD)
    page.goto("/analyses/risk/")
    page.fill("#period", "2099H1")
    page.click("[data-testid=period-form] button[type=submit]")
    expect(page.locator("[data-testid=period-error]")).to_contain_text("分析期间 2099H1 尚未开始")
    expect(page.locator("[data-testid=table-mismatches]")).to_have_count(0)
