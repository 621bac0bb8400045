"""Browser journey (issue: customer voice): ``lobby_c1`` records a complaint at the counter; ``head_c1`` finds it,
logs a call, closes it with a resolution; the day's statistics 《客户投诉日统计》 count it (R30–R32)."""
import pytest

from wealthdesk.complaints.models import Complaint
from wealthdesk.core.testing.browser import login, nav, screenshot
from wealthdesk.core.testing.world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lobby_records_head_closes_and_daily_statistics_count_it(page, world):
    login(page, "lobby_c1", PASSWORD)
    nav(page, "complaints")
    page.click("[data-testid=new-complaint]")
    page.select_option("#id_channel", "counter")
    page.select_option("#id_category", "waiting")
    page.fill("#id_customer_mobile", "13812341234")
    page.fill("#id_content", "周六上午排队一个多小时，叫号系统故障无人解释")
    page.click("[data-testid=save-complaint]")
    page.wait_for_selector("[data-testid=owner]")
    assert page.inner_text("[data-testid=owner]") == "head_c1"
    complaint = Complaint.objects.get()
    assert complaint.customer == world.cust_a and complaint.receiver == world.lobby_c1
    page.click("text=返回列表")
    assert "张*" in page.inner_text("[data-testid=complaint-table]")
    page.click("text=退出")

    login(page, "head_c1", PASSWORD)
    page.goto("/complaints/?status=open")
    page.click(f"text={complaint.number}")
    page.select_option("[data-action=log] select", "contact")
    page.fill("[data-action=log] textarea", "已致电客户致歉，说明叫号系统故障原因")
    page.click("[data-action=log] button")
    page.wait_for_selector("[data-testid=log] >> text=已致电客户致歉")
    page.click("[data-action=close] button")  # no resolution yet: refused with a message
    page.wait_for_selector("[data-error=resolution]")
    assert "必须填写处理结果" in page.inner_text("[data-error=resolution]")
    page.fill("[data-action=close] textarea", "增开一个叫号窗口，系统已修复，客户表示理解")
    page.select_option("[data-action=close] select[name=close-outcome]", "resolved")
    page.select_option("[data-action=close] select[name=close-satisfaction]", "satisfied")
    page.click("[data-action=close] button")
    page.wait_for_selector("[data-testid=resolution]")
    assert page.inner_text("[data-testid=status]") == "已办结"

    nav(page, "complaint_stats")
    total = page.locator("[data-testid=stats-total] td")
    assert total.nth(1).inner_text() == "1"  # received today
    headers = page.locator("[data-testid=stats-table] thead th").all_inner_texts()
    assert total.nth(headers.index("办结数")).inner_text() == "1"
    assert total.nth(headers.index("按期答复率")).inner_text() == "100.0%"
    page.wait_for_selector("[data-chart=chart-channel] canvas")
    screenshot(page, "complaints-daily-stats")
