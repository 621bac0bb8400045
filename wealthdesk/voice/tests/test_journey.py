"""Browser journey (issue: customer voice, R20/R22): cm_c1_1 records a needs card with one question answered on
the spot and one routed to supervisor_c1, who answers it from the inbox; the card shows both."""
import pytest

from wealthdesk.core.testing.browser import login, nav, pick, screenshot
from wealthdesk.core.testing.world import PASSWORD
from wealthdesk.voice.models import NeedsQuestion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_needs_card_with_an_on_the_spot_and_a_routed_answer(page, world):
    login(page, "cm_c1_1", PASSWORD)
    nav(page, "voice")
    page.click("[data-testid=new-card]")
    pick(page, "customer", "张", "张伟")
    page.check("input[name=categories][value=investment]")
    page.check("input[name=categories][value=insurance]")
    page.fill("input[name=detail]", "稳健型理财与养老保障")
    page.click("[data-testid=card-form] button[type=submit]")

    form = page.locator("[data-testid=question-form]")
    form.locator("input[name=text]").fill("基金赎回几天到账？")
    form.locator("select[name=route]").select_option("on_spot")
    form.locator("textarea[name=answer]").fill("一般T+3个工作日到账")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=remarks] >> text=一般T+3个工作日到账")

    form = page.locator("[data-testid=question-form]")
    form.locator("input[name=text]").fill("外币理财能否提前赎回？")
    form.locator("select[name=route]").select_option("supervisor")
    form.locator("select[name=assignee]").select_option(str(world.supervisor_c1.pk))
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=questions] >> text=外币理财能否提前赎回？")
    card_url = page.url
    page.click("text=退出")

    login(page, "supervisor_c1", PASSWORD)
    page.goto("/?overview=1")
    page.click("[data-panel='voice.inbox'] >> text=外币理财能否提前赎回？")
    answer = page.locator("[data-testid=answer-form]")
    answer.locator("textarea[name=answer]").fill("可以提前赎回，按产品说明书收取赎回费")
    answer.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=questions] >> text=可以提前赎回，按产品说明书收取赎回费")
    assert page.url == card_url
    assert "一般T+3个工作日到账" in page.inner_text("[data-testid=remarks]")
    statuses = page.locator("[data-testid=questions] tbody tr")
    assert statuses.count() == 2
    screenshot(page, "voice-needs-card")
    routed = NeedsQuestion.objects.get(route="supervisor")
    assert routed.status == "answered" and routed.answered_by == world.supervisor_c1
