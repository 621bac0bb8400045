"""Browser journeys (R5, R40): head_c1 hands a complaint up to the branch — first without a question, and sees the
message — branch1_service takes and answers it, head_c1 sees the answer and closes the case; a client manager marks
which customers received the VIP bulletin (and is told when none is ticked)."""
import pytest
from playwright.sync_api import expect

from wealthdesk.cases import bulletins
from wealthdesk.cases.models import BulletinReceipt, Case
from wealthdesk.core.testing.browser import login, nav, screenshot
from wealthdesk.core.testing.world import PASSWORD
from wealthdesk.customers.choices import Tier

from .factories import complaint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _logout(page):
    page.click("text=退出")
    page.wait_for_load_state("networkidle")


def test_a_complaint_handed_up_to_the_branch_and_answered_back(page, world):
    c = complaint(world)
    login(page, "head_c1", PASSWORD)
    nav(page, "cases")
    page.click("[data-testid=new-case]")
    form = page.locator("[data-testid=case-form]")
    form.locator("select[name=subject_kind]").select_option("complaint")
    form.locator("input[name=subject_id]").fill(c.number)
    form.locator("input[name=title]").fill("跨行转账投诉")
    form.locator("select[name=to_unit]").select_option(str(world.branch1.pk))
    page.click("[data-testid=do-open]")
    expect(page.locator("[data-error-for=question]")).to_contain_text("请填写请求上级解决的问题。")
    assert not Case.objects.exists()
    page.locator("[data-testid=case-form] textarea[name=question]").fill("款项延迟到账，需分行协调清算部门")
    page.click("[data-testid=do-open]")
    expect(page.locator("[data-testid=case-status]")).to_have_text("已上报")
    expect(page.locator("[data-testid=case-holder]")).to_contain_text("北京分行")
    expect(page.locator("[data-testid=case-subject]")).to_contain_text(c.number)
    _logout(page)

    login(page, "branch1_service", PASSWORD)
    nav(page, "cases")
    page.locator("[data-testid=case-inbox] a", has_text="跨行转账投诉").click()
    page.click("[data-testid=do-take]")
    expect(page.locator("[data-testid=case-holder]")).to_contain_text("branch1_service")
    page.click("[data-testid=do-answer]")
    expect(page.locator("[data-error-for=text]")).to_contain_text("请填写答复")
    page.fill("#id_answer_text", "已与清算部门确认，款项三个工作日内到账")
    page.click("[data-testid=do-answer]")
    expect(page.locator("[data-testid=case-status]")).to_have_text("已答复")
    _logout(page)

    login(page, "head_c1", PASSWORD)
    nav(page, "cases")
    page.locator("[data-testid=case-table] a", has_text="跨行转账投诉").click()
    expect(page.locator("[data-testid=case-answer]")).to_contain_text("三个工作日内到账")
    screenshot(page, "cases-answered")
    page.fill("#id_close_text", "已告知客户")
    page.click("[data-testid=do-close]")
    expect(page.locator("[data-testid=case-status]")).to_have_text("已办结")
    steps = [row.get_attribute("data-step") for row in page.locator("[data-testid=trail] tr").all()]
    assert steps == ["raise", "hand_up", "note", "answer", "feedback"]


def test_a_client_manager_marks_bulletin_recipients(page, world):
    issue = bulletins.issue_create(actor=world.hq_service, issue_no="2026-第4期", title="岁末理财",
                                   articles=[("年终奖理财", "合理安排流动性")])
    bulletins.issue_publish(actor=world.hq_service, issue=issue, tiers=[Tier.CORE], units=[world.hq])
    login(page, "cm_c1_1", PASSWORD)
    nav(page, "cases.bulletins")
    page.locator("[data-testid=issue-table] a", has_text="岁末理财").click()
    page.click("[data-testid=mark-recipients]")
    page.click("[data-testid=do-mark]")
    expect(page.locator("[data-testid=form-errors]")).to_contain_text("请勾选收到专刊的客户。")
    page.check(f"[data-testid=pick-{world.cust_a.pk}]")
    page.click("[data-testid=do-mark]")
    expect(page.locator(f"[data-testid=received-{world.cust_a.pk}]")).to_contain_text("已送达")
    assert BulletinReceipt.objects.filter(issue=issue, customer=world.cust_a).count() == 1
    screenshot(page, "cases-bulletin-recipients")
