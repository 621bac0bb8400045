"""Browser journey (R25): head_c1 plans a small campaign on a segment — first a segment matching nobody, and sees
the message — submits and approves it, starts it; cm_c1_1 works the call list from the workbench; head_c1 ends
it, records the feedback and sees the uplift against the holdout, then evaluates it."""
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from wealthdesk.campaigns.models import Campaign, CampaignMember
from wealthdesk.contacts.models import ContactRecord
from wealthdesk.core.testing.browser import login, nav, screenshot
from wealthdesk.core.testing.world import PASSWORD
from wealthdesk.corebanking.models import Holding, Product

from .factories import add_customers, balance

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _logout(page):
    page.click("text=退出")
    page.wait_for_load_state("networkidle")


def _fill_plan(page, tier: str):
    today = timezone.localdate()
    form = page.locator("[data-testid=campaign-form]")
    form.locator("select[name=scale]").select_option("small")
    form.locator("input[name=theme]").fill("到期理财续作")
    form.locator("textarea[name=content]").fill("电话邀约普通优质客户续作稳健理财")
    form.locator("input[name=product_kinds][value=wmp]").check()
    form.locator("input[name=starts_on]").fill(today.isoformat())
    form.locator("input[name=ends_on]").fill((today + dt.timedelta(days=14)).isoformat())
    form.locator("input[name=goal_reached]").fill("15")
    form.locator("input[name=goal_conversions]").fill("4")
    form.locator("input[name=goal_aum]").fill("2000000")
    form.locator("input[name=budget]").fill("3000")
    for box in form.locator("input[name=tiers]").all():
        box.uncheck()
    form.locator(f"input[name=tiers][value={tier}]").check()


def test_head_plans_approves_cm_calls_head_sees_the_uplift(page, world):
    add_customers(world, 18)  # 19 premium customers of C1 (with cust_a2), about half each manager's
    login(page, "head_c1", PASSWORD)
    nav(page, "campaigns")
    page.click("[data-testid=new-campaign]")
    _fill_plan(page, "private")  # nobody in C1 is a private-banking customer
    page.click("[data-testid=save-campaign]")
    expect(page.locator("[data-testid=form-errors]")).to_contain_text("没有匹配到任何客户")
    assert Campaign.objects.count() == 0
    _fill_plan(page, "premium")
    page.click("[data-testid=save-campaign]")
    expect(page.locator("[data-testid=campaign-status]")).to_have_text("草稿")
    expect(page.locator("[data-testid=segment-size]")).to_have_text("19")
    page.click("[data-testid=do-submit]")
    expect(page.locator("[data-testid=campaign-status]")).to_have_text("待审批")
    page.click("[data-testid=do-approve]")
    expect(page.locator("[data-testid=campaign-status]")).to_have_text("已批准")
    page.click("[data-testid=do-start]")
    expect(page.locator("[data-testid=campaign-status]")).to_have_text("执行中")
    expect(page.locator("[data-testid=call-list]")).to_contain_text("对照组（不联系）2 户")
    campaign = Campaign.objects.get()
    _logout(page)

    login(page, "cm_c1_1", PASSWORD)
    page.locator("[data-testid=panel-campaign-calls] a").first.click()
    mine = CampaignMember.objects.filter(campaign=campaign, client_manager=world.cm_c1_1, is_holdout=False)
    first = mine.order_by("customer__name", "id").first()
    page.click(f"[data-testid=call-{first.pk}]")
    page.click("[data-testid=save-call]")  # no outcome chosen
    expect(page.locator("[data-error-for=outcome]")).to_contain_text("请选择联系结果")
    page.select_option("[data-testid=call-form] select[name=outcome]", "interested")
    page.fill("[data-testid=call-form] textarea[name=content]", "客户愿意续作")
    page.click("[data-testid=save-call]")
    expect(page.locator(".alert-success")).to_contain_text("已登记联系")
    expect(page.locator(f"[data-member='{first.pk}'] [data-testid=call-status]")).to_contain_text("有意向")
    screenshot(page, "campaigns-call-list")
    assert ContactRecord.objects.get().source == f"campaign:{campaign.pk}"
    _logout(page)

    # the core-banking load after the campaign: the contacted customer bought a WMP and brought in 300,000
    wmp = Product.objects.create(code="WMP-J", name="稳健理财", kind="wmp")
    today = timezone.localdate()
    Holding.objects.create(customer_id=first.customer_id, product=wmp, account_no="J1", amount=Decimal("300000"),
                           start_date=today)
    balance(first.customer_id, today, first.aum_at_start + 300000)

    login(page, "head_c1", PASSWORD)
    page.goto(f"/campaigns/{campaign.pk}/")
    page.click("[data-testid=do-end]")
    expect(page.locator("[data-testid=campaign-status]")).to_have_text("已结束")
    page.fill("[data-testid=feedback-form] input[name=spent]", "-10")
    page.click("[data-testid=save-feedback]")
    expect(page.locator("[data-error-for=spent]")).to_contain_text("金额不能为负数")
    page.fill("[data-testid=feedback-form] input[name=spent]", "2800")
    page.fill("[data-testid=feedback-form] textarea[name=lessons]", "到期前一周联系效果最好")
    page.click("[data-testid=save-feedback]")
    results = page.locator("[data-testid=results]")
    expect(results.locator("[data-figure=conversions]")).to_contain_text("1 / 17")
    expect(results.locator("[data-figure=holdout-conversions]")).to_contain_text("0 / 2")
    expect(results.locator("[data-figure=uplift-aum]")).to_contain_text("300,000.00")
    expect(results.locator("[data-figure=spent]")).to_contain_text("2,800.00")
    page.select_option("[data-testid=evaluate-form] select[name=grade]", "good")
    page.fill("[data-testid=evaluate-form] textarea[name=evaluation]", "续作效果好，下季度再做")
    page.click("[data-testid=save-evaluation]")
    expect(page.locator("[data-testid=campaign-status]")).to_have_text("已评价")
    screenshot(page, "campaigns-feedback-uplift")
