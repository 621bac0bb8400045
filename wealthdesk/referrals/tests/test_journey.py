"""Browser journey (R16, R17): teller_c1 refers a customer found by mobile; cm_c1_1 accepts, records the
contact and converts; head_c1 sees the day's table count it under the cash-teller position and exports it."""
import io

import openpyxl
import pytest

from wealthdesk.core.testing.browser import login, screenshot
from wealthdesk.core.testing.world import PASSWORD
from wealthdesk.referrals.models import Referral

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_teller_refers_manager_converts_head_counts_and_exports(page, world):
    login(page, "teller_c1", PASSWORD)
    assert "/referrals/new/" in page.url  # front-desk roles land on the referral form
    page.select_option("select[name=lookup_kind]", "mobile")
    page.fill("input[name=lookup_value]", world.cust_a.mobile)
    page.click("[data-testid=lookup]")
    page.wait_for_selector("[data-testid=lookup-result] >> text=张*")
    assert "张伟" not in page.content()
    page.select_option("select[name=signal]", "large_deposit")
    page.fill("textarea[name=need]", "大额存款到期，咨询理财")
    page.click("[data-testid=submit-referral]")
    page.wait_for_selector("text=推介已提交")
    referral = Referral.objects.get()
    assert referral.assigned_to == world.cm_c1_1 and referral.referrer_position == "cash_teller"
    page.click("text=退出")

    login(page, "cm_c1_1", PASSWORD)
    page.goto("/referrals/?status=open")
    page.click(f"[data-testid=referral-table] >> a:text-is('{referral.pk}')")
    page.click("[data-testid=accept]")
    page.wait_for_selector("[data-status=accepted]")
    form = page.locator("[data-testid=contact-form]")
    form.locator("select[name=kind]").select_option("phone")
    form.locator("textarea[name=content]").fill("电话联系，约周一面谈理财方案")
    form.locator("button").click()
    page.wait_for_selector("[data-status=contacted]")
    convert = page.locator("[data-testid=convert-form]")
    convert.locator("input[name=amount]").fill("200000")
    convert.locator("button").click()
    page.wait_for_selector("[data-status=converted]")
    assert "200,000.00" in page.inner_text("[data-testid=conversion]")
    page.click("text=退出")

    login(page, "head_c1", PASSWORD)
    page.goto("/referrals/stats/")
    row = page.locator("[data-testid=position-table] tr[data-position=cash_teller]")
    assert row.locator("[data-col=made]").inner_text() == "1"
    assert row.locator("[data-col=converted]").inner_text() == "1"
    page.wait_for_selector("[data-chart=chart-referral-trend] canvas")
    screenshot(page, "referrals-daily-statistics")
    with page.expect_download() as info:
        page.click("[data-testid=export]")
    path = info.value.path()
    ws = openpyxl.load_workbook(io.BytesIO(open(path, "rb").read())).active
    assert ws["A1"].value == "《优质客户推介日统计表》"
    subtotal = next(r for r in ws.iter_rows(min_row=4, values_only=True) if r[1] == "小计" and r[2] == "现金柜柜员")
    assert subtotal[4] == 1 and subtotal[6] == 1
