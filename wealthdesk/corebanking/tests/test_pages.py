"""Import pages and API upload: bad rows shown with line and column, reject file, query counts, the panel."""
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from wealthdesk.core.testing.exports import download
from wealthdesk.corebanking.models import DailyBalance, ImportBatch

from .helpers import PRODUCTS, csv_bytes, load

pytestmark = pytest.mark.django_db


def upload(client, kind, rows, **extra):
    data = {"kind": kind, "file": SimpleUploadedFile("f.csv", csv_bytes(rows), "text/csv"), **extra}
    return client.post("/corebanking/imports/upload/", data, follow=True)


def test_keeper_sees_the_bad_rows_line_and_column_on_the_batch_page(world, login_as):
    client = login_as("archivist_c1")
    resp = upload(client, "customers", [["客户号", "姓名", "证件号码", "理财中心代码"], ["C2", "孙悦", "123", "C1"]])
    html = resp.content.decode()
    assert "未导入任何数据" in html and "证件号码" in html and "身份证号码应为18位" in html


def test_keeper_is_not_offered_balance_loads(world, login_as):
    resp = login_as("archivist_c1").get("/corebanking/imports/upload/")
    assert 'value="customers"' in resp.content.decode() and 'value="balances"' not in resp.content.decode()


def test_upload_form_names_a_missing_file(world, login_as):
    resp = login_as("hq_service").post("/corebanking/imports/upload/", {"kind": "balances"})
    assert resp.status_code == 400 and "文件" in resp.content.decode()


def test_reject_file_downloads_as_csv(world, login_as):
    batch, _ = load("balances", world.hq_service, [["客户号", "日期", "资产余额"], ["C000000001", "2026-11-27", "1"],
                                                   ["C9", "2026-11-27", "x"]], skip_bad_rows=True)
    resp = login_as("hq_service").get(f"/corebanking/imports/{batch.pk}/rejects/")
    assert resp["Content-Type"].startswith("text/csv") and "C9" in download(resp).decode("utf-8-sig")


def test_rollback_refusal_is_shown_on_the_page(world, login_as):
    first, _ = load("balances", world.hq_service, [["客户号", "日期", "资产余额"], ["C000000001", "2026-11-26", "1"]])
    load("balances", world.hq_service, [["客户号", "日期", "资产余额"], ["C000000001", "2026-11-27", "1"]])
    resp = login_as("hq_service").get(f"/corebanking/imports/{first.pk}/")
    assert "不能回滚" in resp.content.decode()


@pytest.mark.parametrize("batches", [1, 30])
def test_batch_list_query_count_does_not_grow(world, login_as, django_assert_max_num_queries, batches):
    for i in range(batches):
        load("balances", world.hq_service, [["客户号", "日期", "资产余额"], ["C000000001", "2026-11-27", str(i)]],
             skip_bad_rows=True)
    client = login_as("hq_service")
    with django_assert_max_num_queries(12):
        resp = client.get("/corebanking/imports/")
    assert resp.status_code == 200


def test_api_upload_answers_400_with_every_bad_row(world, api_as):
    data = csv_bytes([["客户号", "日期", "资产余额"], ["C000000001", "2026-11-27", "-5"]])
    resp = api_as("hq_service").post("/api/v1/imports/", {"kind": "balances", "file": SimpleUploadedFile(
        "b.csv", data)}, format="multipart")
    assert resp.status_code == 400
    assert resp.json()["errors"] == [{"line": 2, "column": "资产余额", "reason": "金额不能小于 0"}]
    assert DailyBalance.objects.count() == 0


def test_api_upload_rejects_unknown_fields(world, api_as):
    resp = api_as("hq_service").post("/api/v1/imports/", {"kind": "products", "colour": "red", "file": SimpleUploadedFile(
        "p.csv", csv_bytes(PRODUCTS))}, format="multipart")
    assert resp.status_code == 400 and "colour" in resp.json()


def test_api_upload_loads_and_a_repeat_is_not_loaded_again(world, api_as):
    client = api_as("hq_service")
    first = client.post("/api/v1/imports/", {"kind": "products", "file": SimpleUploadedFile(
        "p.csv", csv_bytes(PRODUCTS))}, format="multipart")
    again = client.post("/api/v1/imports/", {"kind": "products", "file": SimpleUploadedFile(
        "p.csv", csv_bytes(PRODUCTS))}, format="multipart")
    assert first.status_code == 201 and again.status_code == 200 and again.json()["created"] is False
    assert ImportBatch.objects.count() == 1


def test_api_rollback_refusal_is_400_with_reason(world, api_as):
    first, _ = load("balances", world.hq_service, [["客户号", "日期", "资产余额"], ["C000000001", "2026-11-26", "1"]])
    load("balances", world.hq_service, [["客户号", "日期", "资产余额"], ["C000000001", "2026-11-27", "1"]])
    resp = api_as("hq_service").post(f"/api/v1/imports/{first.pk}/rollback/")
    assert resp.status_code == 400 and "后续余额批次" in resp.json()["batch"][0]


def test_customer_page_shows_holdings_and_aum_chart(world, login_as):
    load("products", world.hq_service, PRODUCTS)
    load("holdings", world.hq_service, [["客户号", "产品代码", "账号", "持有金额", "起始日"],
                                        ["C000000001", "WMP001", "6222000011112222", "500000", "2026-09-21"]])
    load("balances", world.hq_service, [["客户号", "日期", "资产余额"], ["C000000001", "2026-11-26", "1"],
                                        ["C000000001", "2026-11-27", "2"]])
    html = login_as("cm_c1_1").get(f"/customers/{world.cust_a.pk}/").content.decode()
    assert "稳盈90天" in html and f"chart-aum-{world.cust_a.pk}" in html
    assert "6222000011112222" not in html  # account masked


def test_import_core_command_loads_a_file(world, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "b.csv"
    path.write_bytes(csv_bytes([["cif_no", "aum"], ["C000000001", "5"]]))
    call_command("import_core", str(path), kind="balances", as_of="2026-11-27")
    assert DailyBalance.objects.get().as_of == dt.date(2026, 11, 27)


def test_reject_file_masks_id_numbers_and_mobiles_and_escapes_formulas(world, login_as):
    from wealthdesk.core.models import AuditAction, AuditLog

    header = ["客户号", "姓名", "证件号码", "手机号", "地址", "理财中心代码"]
    batch, _ = load("customers", world.head_c1, [
        header, ["C000000001", "张伟", world.cust_a.id_number, "13812341234", "北京市朝阳区建国路1号", world.c1.code],
        ["C777", "=1+1", "110101199003074514", "13900001111", "上海市浦东新区世纪大道8号", "NOPE"]],
        skip_bad_rows=True)
    assert batch.reject_file and "110101199003074514" not in batch.reject_file
    resp = login_as("head_c1").get(f"/corebanking/imports/{batch.pk}/rejects/")
    text = download(resp).decode("utf-8-sig")
    assert "C777" in text and "1****************4" in text and "139****1111" in text
    assert "110101199003074514" not in text and "13900001111" not in text and "世纪大道" not in text
    assert "'=1+1" in text and ",=1+1" not in text
    assert AuditLog.objects.filter(action=AuditAction.EXPORT, object_id=str(batch.pk)).count() == 1
