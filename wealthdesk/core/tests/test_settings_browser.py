"""Browser: head office edits a parameter on the settings page at 1366×768; a bad value shows its message and
changes nothing; the 保存 buttons stay on one line."""
import pytest
from playwright.sync_api import expect

from wealthdesk.core.params import get_param
from wealthdesk.core.testing.browser import login, screenshot
from wealthdesk.core.testing.world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_bad_parameter_value_shows_the_message_and_a_good_one_is_saved(page, world):
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, "hq_service", PASSWORD)
    page.goto("/core/settings/")
    form = page.locator("form[data-param='alert.due_working_days']")
    button = form.locator("button")
    box = button.bounding_box()
    assert box["height"] < 40 and box["width"] > box["height"]  # one line, not one character per line
    expect(page.locator("[data-testid=params]")).not_to_contain_text("alert.due_working_days")
    form.locator("input[name=value]").fill("两天")
    button.click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("body")).to_contain_text("资金异动/降级预警跟进时限（工作日）：“两天”不是有效的数值。")
    assert get_param("alert.due_working_days") == 2
    screenshot(page, "settings-bad-value")
    page.locator("form[data-param='alert.due_working_days'] input[name=value]").fill("3")
    page.locator("form[data-param='alert.due_working_days'] button").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("body")).to_contain_text("参数已保存。")
    assert get_param("alert.due_working_days") == 3


def test_a_bad_contact_frequency_shows_the_message(page, world):
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, "hq_service", PASSWORD)
    page.goto("/core/settings/")
    page.fill("#policy-core", "13")
    page.locator("[data-testid=contact-policy] button").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("body")).to_contain_text("核心优质客户的联系频率应为 0 到 12 之间的整数")
