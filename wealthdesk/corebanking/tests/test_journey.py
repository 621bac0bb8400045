"""Browser journey (issue: core-banking data, R8/R29): the archive keeper uploads a customer file with one bad
row and sees that row's error, then uploads the fixed file; head-office import staff load a balance file that
drops a customer's AUM (the alerts half of the journey is in wealthdesk/alerts)."""
import pytest

from wealthdesk.core.testing.browser import login, nav, screenshot
from wealthdesk.core.testing.world import PASSWORD
from wealthdesk.corebanking.models import DailyBalance
from wealthdesk.customers.models import Customer

from .helpers import csv_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = ["客户号", "姓名", "证件号码", "手机号", "理财中心代码", "客户经理工号"]
GOOD = ["C300000001", "周敏", "11010119900307803X", "13800000011", "C1", "cm_c1_1"]


def upload(page, kind, name, data, as_of=""):
    page.goto("/corebanking/imports/upload/")
    page.select_option("select[name=kind]", kind)
    page.set_input_files("input[name=file]", files=[{"name": name, "mimeType": "text/csv", "buffer": data}])
    if as_of:
        page.fill("input[name=as_of]", as_of)
    page.click("[data-testid=upload-form] button[type=submit]")
    page.wait_for_selector("[data-testid=batch-status]")


def test_keeper_fixes_a_customer_file_and_hq_loads_balances(page, world):
    login(page, "archivist_c1", PASSWORD)
    nav(page, "corebanking.imports")
    page.click("[data-testid=upload-link]")
    bad = csv_bytes([HEADER, GOOD, ["C300000002", "吴刚", "110101199003074570", "13800000012", "C1", ""]])
    upload(page, "customers", "客户.csv", bad)
    assert page.inner_text("[data-testid=batch-status]") == "已拒绝"
    errors = page.inner_text("[data-testid=error-table]")
    assert "3" in errors and "证件号码" in errors and "校验位" in errors
    screenshot(page, "corebanking-rejected-customer-file")
    assert not Customer.objects.filter(cif_no="C300000001").exists()

    fixed = csv_bytes([HEADER, GOOD, ["C300000002", "吴刚", "110101199003074573", "13800000012", "C1", ""]])
    upload(page, "customers", "客户-修正.csv", fixed)
    assert page.inner_text("[data-testid=batch-status]") == "已导入"
    assert "导入 2" in page.inner_text("[data-testid=batch-counts]")

    page.click("text=退出")
    login(page, "hq_service", PASSWORD)
    balances = csv_bytes([["cif_no", "aum"], ["C000000001", "300000.00"], ["C300000001", "5000.00"]])
    upload(page, "balances", "余额20261127.csv", balances, as_of="2026-11-27")
    assert page.inner_text("[data-testid=batch-status]") == "已导入"
    assert DailyBalance.objects.count() == 2
    assert Customer.objects.get(pk=world.cust_a.pk).aum_avg == 300000
    page.goto("/corebanking/imports/")
    assert page.locator("[data-testid=batch-table] tbody tr").count() >= 1
    screenshot(page, "corebanking-imports")
