"""Layout at 1366×768 and on a tablet (768×1024): buttons keep their words on one line, the English navbar of a
center head stays one line (退出/Sign out does not wrap), and customer names in the list do not break per character.
Counts are drawn as straight lines or bars, never smoothed curves."""
import pytest

from wealthdesk.core.testing.browser import login
from wealthdesk.core.testing.world import PASSWORD
from wealthdesk.referrals.selectors import trend_option

ONE_LINE_BUTTON = 40  # px: a btn-sm on one line is ~31 px high; two lines would be ~50


def _max_button_height(page, selector):
    return page.eval_on_selector_all(selector, "els => Math.max(0, ...els.map(e => e.getBoundingClientRect().height))")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_buttons_and_the_english_navbar_fit_at_1366(page, world, restore_language):
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, "head_c1", PASSWORD)
    page.goto("/referrals/stats/")
    assert 0 < _max_button_height(page, "main form button") < ONE_LINE_BUTTON
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.url}])
    page.goto("/referrals/stats/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert 0 < _max_button_height(page, "main form button") < ONE_LINE_BUTTON
    nav_height = page.eval_on_selector("nav.navbar", "e => e.getBoundingClientRect().height")
    assert nav_height < 70, nav_height  # one line (~56 px), not two
    logout = page.locator("nav form[action*=logout] button")
    assert logout.bounding_box()["height"] < ONE_LINE_BUTTON
    assert logout.bounding_box()["x"] + logout.bounding_box()["width"] <= 1366


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_settings_save_buttons_stay_on_one_line(page, world):
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, "hq_service", PASSWORD)
    response = page.goto("/core/settings/")
    if response.status != 200:
        login(page, "admin", PASSWORD)
        response = page.goto("/core/settings/")
    assert response.status == 200
    assert 0 < _max_button_height(page, "main button") < ONE_LINE_BUTTON


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_customer_names_do_not_break_per_character_on_a_tablet(page, world):
    page.set_viewport_size({"width": 768, "height": 1024})
    login(page, "head_c1", PASSWORD)
    page.goto("/customers/")
    cell = page.locator("[data-testid=customer-table] tbody tr td:nth-child(2)").first
    line = page.eval_on_selector("[data-testid=customer-table] tbody tr td", "e => parseFloat(getComputedStyle(e).lineHeight) || 24")
    assert cell.bounding_box()["height"] < 2 * line + 8  # one line of text (plus padding)


def test_count_trends_are_not_smoothed():
    option = trend_option({"labels": ["11-26"], "made": [1], "converted": [0], "invalid": [0]})
    assert all(not s.get("smooth") for s in option["series"])
