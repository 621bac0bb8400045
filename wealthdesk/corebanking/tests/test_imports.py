"""R8/R29 loads: validation with every bad row reported, all-or-nothing, skip-bad-rows, idempotency, encodings."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from wealthdesk.corebanking.choices import BatchStatus
from wealthdesk.corebanking.models import DailyBalance, Holding, ImportBatch, Product, Transaction
from wealthdesk.customers.models import Customer

from .helpers import PRODUCTS, csv_bytes, load, xlsx_bytes

pytestmark = pytest.mark.django_db

CUSTOMER_HEADER = ["客户号", "姓名", "证件号码", "手机号", "理财中心代码", "客户经理工号"]


def customer_rows(bad_id=False):
    return [CUSTOMER_HEADER,
            ["C100000001", "赵磊", "11010119900307803X", "13800000001", "C1",
             "cm_c1_1"],
            ["C100000002", "钱静", "110101199003074573" if not bad_id else "123", "13800000002", "C1", ""]]


def test_archive_keeper_loads_customers_file(world):
    batch, created = load("customers", world.archivist_c1, customer_rows())
    assert created and batch.status == BatchStatus.LOADED, batch.errors
    assert batch.rows_loaded == 2
    assert Customer.objects.get(cif_no="C100000001").client_manager == world.cm_c1_1


def test_customer_file_with_one_bad_row_loads_nothing_and_names_line_and_column(world):
    before = Customer.objects.count()
    batch, _ = load("customers", world.archivist_c1, customer_rows(bad_id=True))
    assert batch.status == BatchStatus.REJECTED
    assert Customer.objects.count() == before
    assert batch.errors[0]["line"] == 3 and batch.errors[0]["column"] == "证件号码"


def test_archive_keeper_cannot_load_customers_into_another_center(world):
    rows = customer_rows()
    rows[1][4] = "C2"
    batch, _ = load("customers", world.archivist_c1, rows)
    assert batch.status == BatchStatus.REJECTED
    assert batch.errors == [{"line": 2, "column": "理财中心代码", "reason": "理财中心代码不存在或不在您的机构范围内"}]


def test_client_manager_may_not_load_anything(world):
    with pytest.raises(PermissionDenied):
        load("customers", world.cm_c1_1, customer_rows())
    with pytest.raises(PermissionDenied):
        load("balances", world.archivist_c1, [["客户号", "日期", "资产余额"]])


def test_same_file_twice_loads_once(world):
    load("products", world.hq_service, PRODUCTS)
    batch, created = load("products", world.hq_service, PRODUCTS)
    assert not created
    assert Product.objects.count() == 2 and ImportBatch.objects.count() == 1


def test_reimport_with_other_bytes_skips_existing_natural_keys(world):
    load("products", world.hq_service, PRODUCTS)
    batch, created = load("products", world.hq_service, PRODUCTS + [["FND01", "成长基金", "fund", "R4", "", "", ""]])
    assert created and batch.rows_loaded == 1 and batch.rows_skipped == 2


def test_wealth_product_needs_a_risk_level(world):
    batch, _ = load("products", world.hq_service, [PRODUCTS[0], ["WMP9", "无风险等级", "wmp", "", "", "", ""]])
    assert batch.errors == [{"line": 2, "column": "风险等级", "reason": "理财产品必须填写风险等级（R1–R5）"}]


def balances(world, rows):
    return load("balances", world.hq_service, [["客户号", "日期", "资产余额"], *rows])


def test_balance_file_loads_and_refreshes_customer_aum(world):
    batch, _ = balances(world, [["C000000001", "2026-11-26", "100.00"], ["C000000001", "2026-11-27", "300.00"]])
    assert batch.status == BatchStatus.LOADED and batch.rows_loaded == 2, batch.errors
    cust = Customer.objects.get(pk=world.cust_a.pk)
    assert cust.aum == Decimal("300.00") and cust.aum_avg == Decimal("200.00")
    assert cust.aum_as_of == dt.date(2026, 11, 27)


def test_bad_balance_rows_are_all_reported_and_nothing_loads(world):
    batch, _ = balances(world, [
        ["C000000001", "2026-11-27", "1,000.00"],
        ["C000000001", "2026-13-01", "5"],
        ["C999", "2026-11-27", "5"],
        ["C000000002", "2026-11-27", "abc"],
        ["C000000001", "2026-11-27", "7"],
    ])
    assert batch.status == BatchStatus.REJECTED
    assert DailyBalance.objects.count() == 0
    found = {(e["line"], e["column"]) for e in batch.errors}
    assert found == {(3, "日期"), (4, "客户号"), (5, "资产余额"), (6, "客户号")}
    assert batch.rows_rejected == 4
    reasons = {e["line"]: e["reason"] for e in batch.errors}
    assert "不存在" in reasons[4] and "重复" in reasons[6] and "金额格式" in reasons[5]


def test_skip_bad_rows_loads_the_good_ones_and_keeps_a_reject_file(world):
    batch, _ = load("balances", world.hq_service,
                    [["客户号", "日期", "资产余额"], ["C000000001", "2026-11-27", "10"], ["C999", "2026-11-27", "5"]],
                    skip_bad_rows=True)
    assert batch.status == BatchStatus.LOADED and batch.rows_loaded == 1 and batch.rows_rejected == 1
    assert "C999" in batch.reject_file and "错误原因" in batch.reject_file


def test_balance_amount_with_thousands_separator_is_accepted(world):
    batch, _ = balances(world, [["C000000001", "2026-11-27", "1,000.50"]])
    assert batch.rows_loaded == 1 and DailyBalance.objects.get().aum == Decimal("1000.50")


def test_balance_file_without_date_column_uses_as_of(world):
    batch, _ = load("balances", world.hq_service, [["cif_no", "aum"], ["C000000001", "10"]],
                    as_of=dt.date(2026, 11, 27))
    assert batch.status == BatchStatus.LOADED
    assert DailyBalance.objects.get().as_of == dt.date(2026, 11, 27)


def test_gbk_csv_is_read(world):
    data = csv_bytes(PRODUCTS, encoding="gbk")
    batch, _ = load("products", world.hq_service, data)
    assert batch.status == BatchStatus.LOADED and Product.objects.get(code="WMP001").name == "稳盈90天"


def test_wrong_encoding_is_rejected_with_a_message(world):
    batch, _ = load("products", world.hq_service, b"\xff\xfe\x00\x81\x00")
    assert batch.status == BatchStatus.REJECTED and "编码" in batch.errors[0]["reason"]


def test_empty_file_is_rejected(world):
    batch, _ = load("products", world.hq_service, b"")
    assert batch.status == BatchStatus.REJECTED and "文件为空" in batch.errors[0]["reason"]


def test_header_only_file_is_rejected(world):
    batch, _ = load("products", world.hq_service, [PRODUCTS[0]])
    assert batch.status == BatchStatus.REJECTED and "没有数据行" in batch.errors[0]["reason"]


def test_wrong_column_is_named(world):
    batch, _ = load("products", world.hq_service, [["产品代码", "名字", "产品类型"], ["X", "Y", "fund"]])
    columns = {e["column"]: e["reason"] for e in batch.errors}
    assert "未知列" in columns["名字"] and columns["产品名称"] == "缺少必填列"


def test_xlsx_is_read(world):
    batch, _ = load("products", world.hq_service, xlsx_bytes(PRODUCTS), name="p.xlsx")
    assert batch.status == BatchStatus.LOADED and batch.rows_loaded == 2, batch.errors


def test_xlsx_with_a_formula_is_rejected_naming_the_cell(world):
    batch, _ = load("products", world.hq_service, xlsx_bytes(PRODUCTS, formula_at="E2"), name="p.xlsx")
    assert batch.status == BatchStatus.REJECTED
    assert batch.errors[0]["column"] == "E2" and "公式" in batch.errors[0]["reason"]
    assert Product.objects.count() == 0


def test_xlsx_with_merged_header_cells_is_rejected(world):
    batch, _ = load("products", world.hq_service, xlsx_bytes(PRODUCTS, merge="A1:B1"), name="p.xlsx")
    assert batch.status == BatchStatus.REJECTED and "合并单元格" in batch.errors[0]["reason"]


def test_holdings_and_transactions_load_with_unknown_product_reported(world):
    load("products", world.hq_service, PRODUCTS)
    batch, _ = load("holdings", world.hq_service, [
        ["客户号", "产品代码", "账号", "持有金额", "起始日", "到期日"],
        ["C000000001", "WMP001", "6222000011112222", "500000", "2026-09-21", ""],
        ["C000000001", "NOPE", "6222000011112222", "1", "2026-09-21", ""]])
    assert batch.status == BatchStatus.REJECTED
    assert batch.errors == [{"line": 3, "column": "产品代码", "reason": "产品代码“NOPE”不存在"}]
    batch, _ = load("holdings", world.hq_service, [
        ["客户号", "产品代码", "账号", "持有金额", "起始日", "到期日"],
        ["C000000001", "WMP001", "6222000011112222", "500000", "2026-09-21", ""]])
    assert Holding.objects.get().maturity_date == dt.date(2026, 12, 20)
    header = ["流水号", "客户号", "账号", "交易时间", "金额", "方向", "渠道", "对手方类型", "产品代码"]
    batch, _ = load("transactions", world.hq_service, [
        header, ["T1", "C000000001", "6222", "2026-11-27 10:00:00", "50000", "转出", "手机银行", "他行", ""],
        ["T2", "C000000001", "6222", "2026-11-27 11:00", "20000", "out", "counter", "own_bank", "WMP001"]])
    assert batch.status == BatchStatus.LOADED and batch.rows_loaded == 2, batch.errors
    assert batch.as_of == dt.date(2026, 11, 27)
    assert Transaction.objects.get(external_id="T2").product.code == "WMP001"


def test_transaction_amount_must_be_positive(world):
    header = ["流水号", "客户号", "账号", "交易时间", "金额", "方向", "渠道", "对手方类型"]
    batch, _ = load("transactions", world.hq_service, [
        header, ["T1", "C000000001", "6222", "2026-11-27 10:00:00", "0", "转出", "飞鸽", "他行"]])
    assert {(e["column"], e["reason"][:4]) for e in batch.errors} == {("金额", "金额必须"), ("渠道", "取值“飞")}
