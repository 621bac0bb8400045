"""Browser journey (R28, R29): cm_c1_1 backs a signed form up to the archive (an HTML file renamed .pdf is refused
with the message on the page); archivist_c1 checks a paper file out to cm_c1_1 (a missing purpose is refused with
the message) and back in."""
import pytest

from wealthdesk.archive.models import ArchiveDocument, PaperFile
from wealthdesk.core.testing.browser import login, pick, screenshot
from wealthdesk.core.testing.world import PASSWORD

from .helpers import HTML_AS_PDF, SIGNED, paper

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _choose_customer(page):
    if not page.locator("[data-testid=upload-form] input[name=customer]").input_value():
        pick(page, "customer", "张", "张伟")


def test_manager_uploads_a_signed_form_and_keeper_checks_a_paper_file_out_and_in(page, world):
    login(page, "cm_c1_1", PASSWORD)
    page.goto("/archive/")
    page.click("[data-testid=upload-link]")
    _choose_customer(page)
    page.select_option("select[name=doc_type]", "signed_form")
    page.fill("input[name=title]", "理财业务申请书（签字）")
    page.set_input_files("input[name=file]", files=[{"name": "申请书.pdf", "mimeType": "application/pdf",
                                                      "buffer": HTML_AS_PDF}])
    page.click("[data-testid=upload-submit]")
    page.wait_for_selector("[data-error=file] >> text=只接受 PDF、PNG 或 JPEG")
    assert not ArchiveDocument.objects.exists()
    assert page.locator("[data-testid=upload-form] input[name=customer]").input_value() == str(world.cust_a.pk)
    assert "张伟" in page.locator("[data-testid=upload-form] [data-picker-input]").input_value()
    screenshot(page, "archive-upload-refused")
    _choose_customer(page)
    page.set_input_files("input[name=file]", files=[{"name": "申请书.pdf", "mimeType": "application/pdf",
                                                      "buffer": SIGNED}])
    page.click("[data-testid=upload-submit]")
    page.wait_for_selector("text=资料已加密归档")
    doc = ArchiveDocument.objects.get()
    assert doc.customer == world.cust_a and doc.size == len(SIGNED)
    with page.expect_download() as info:
        page.click("[data-testid=download]")
    assert open(info.value.path(), "rb").read() == SIGNED
    page.click("text=退出")

    p = paper(world)
    login(page, "archivist_c1", PASSWORD)
    page.goto(f"/archive/paper/{p.pk}/")
    form = page.locator("[data-testid=checkout-form]")
    form.locator("select[name=holder]").select_option(str(world.cm_c1_1.pk))
    form.locator("[data-testid=checkout-submit]").click()
    page.wait_for_selector("[data-error=purpose]")
    assert PaperFile.objects.get(pk=p.pk).status == "in"
    form = page.locator("[data-testid=checkout-form]")
    form.locator("select[name=holder]").select_option(str(world.cm_c1_1.pk))
    form.locator("input[name=purpose]").fill("客户回访核对签字")
    form.locator("[data-testid=checkout-submit]").click()
    page.wait_for_selector("[data-testid=paper-status] >> text=已借出")
    assert world.cm_c1_1.full_name in page.inner_text("[data-testid=paper-holder]")
    page.goto("/archive/paper/?status=out")
    assert p.reference in page.inner_text("[data-testid=paper-table]")
    page.goto(f"/archive/paper/{p.pk}/")
    page.click("[data-testid=checkin-submit]")
    page.wait_for_selector("[data-testid=paper-status] >> text=在库")
    screenshot(page, "archive-paper-file-returned")
    assert PaperFile.objects.get(pk=p.pk).status == "in"
