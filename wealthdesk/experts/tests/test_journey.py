"""Browser journey (R4): cm_c1_1 asks for a consultation on a core customer (first a customer outside the book:
the message shows and nothing is saved), advisor_1 answers it seeing only the masked summary, cm_c1_1 records how
the answer was used and rates it."""
import pytest
from playwright.sync_api import expect

from wealthdesk.core.testing.browser import login, pick, screenshot
from wealthdesk.core.testing.world import PASSWORD
from wealthdesk.experts.choices import ConsultationStatus
from wealthdesk.experts.models import Consultation

from .factories import pool

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def _logout(page):
    page.click("text=退出")
    page.wait_for_load_state("networkidle")


def test_ask_answer_with_masked_summary_then_record_use_and_rate(page, world, tmp_path):
    members = pool(world)
    login(page, "cm_c1_1", PASSWORD)
    page.goto("/experts/consultations/new/")
    form = page.locator("[data-testid=ask-form]")
    form.locator("select[name=specialty]").select_option("funds")
    form.locator("select[name=requested_expert]").select_option(str(members["advisor_1"].pk))
    form.locator("textarea[name=question]").fill("客户想把偏股基金调整为均衡配置")
    page.evaluate(f"document.querySelector('input[name=customer]').value = '{world.cust_a2.pk}'")
    page.click("[data-testid=submit-ask]")
    expect(page.locator("[data-error-for=customer]")).to_contain_text("不在您的客户名单中")
    assert not Consultation.objects.exists()

    form = page.locator("[data-testid=ask-form]")
    pick(form, "customer", "张", "张伟")
    form.locator("select[name=specialty]").select_option("funds")
    form.locator("select[name=requested_expert]").select_option(str(members["advisor_1"].pk))
    form.locator("textarea[name=question]").fill("张伟想把偏股基金调整为均衡配置")
    page.click("[data-testid=submit-ask]")
    expect(page.locator("[data-testid=consultation-status]")).to_have_text("待接单")
    c = Consultation.objects.get()
    _logout(page)

    login(page, "advisor_1", PASSWORD)
    assert page.url.endswith("/experts/mine/")
    page.click(f"[data-testid=open-consultation-{c.pk}]")
    expect(page.locator("[data-testid=masked-summary]")).to_contain_text("核心优质客户")
    expect(page.locator("[data-testid=masked-summary]")).to_contain_text("100万–300万元")
    body = page.content()
    for secret in ("张伟", world.cust_a.mobile, world.cust_a.id_number, world.cust_a.cif_no, "1,500,000"):
        assert secret not in body
    assert page.locator("[data-testid=customer-name]").count() == 0
    page.click("[data-testid=do-take]")
    expect(page.locator("[data-testid=consultation-status]")).to_have_text("处理中")
    pdf = tmp_path / "方案.pdf"
    pdf.write_bytes(PDF)
    page.fill("[data-testid=answer-form] textarea[name=text]", "建议分三个月逐步调整为股债均衡组合")
    page.set_input_files("[data-testid=answer-form] input[name=attachments]", str(pdf))
    page.click("[data-testid=do-answer]")
    expect(page.locator("[data-testid=consultation-status]")).to_have_text("已答复")
    expect(page.locator("[data-testid=attachments]")).to_contain_text("方案.pdf")
    screenshot(page, "experts-advisor-answer")
    _logout(page)

    login(page, "cm_c1_1", PASSWORD)
    page.goto(f"/experts/consultations/{c.pk}/")
    expect(page.locator("[data-testid=customer-name]")).to_have_text("张伟")
    page.select_option("[data-testid=close-form] select[name=usage]", "adopted")
    page.fill("[data-testid=close-form] textarea[name=usage_note]", "已向客户提出调整建议，客户同意")
    page.select_option("[data-testid=close-form] select[name=rating]", "5")
    page.click("[data-testid=do-close]")
    expect(page.locator("[data-testid=consultation-status]")).to_have_text("已关闭")
    expect(page.locator("[data-testid=rating]")).to_contain_text("5 / 5")
    screenshot(page, "experts-closed")
    c.refresh_from_db()
    assert c.status == ConsultationStatus.CLOSED and c.rating == 5 and c.attachments.count() == 1
