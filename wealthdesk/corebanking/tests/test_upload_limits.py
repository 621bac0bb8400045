"""Uploads that exhausted the server (issue 9): the file size is capped, an .xlsx is checked before it is opened
(declared unpacked size and compression ratio: a zip bomb is refused with a message), its rows are streamed in
read-only mode and capped, and CSV is decoded piecewise. Limits: docs/corebanking-formats.md."""
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from wealthdesk.corebanking.choices import BatchStatus
from wealthdesk.corebanking.importing.readers import FileProblem, read_table
from wealthdesk.corebanking.models import DailyBalance, ImportBatch

from .helpers import csv_bytes, load, xlsx_bytes

pytestmark = pytest.mark.django_db
BAL = ["客户号", "日期", "资产余额"]


def _bomb() -> bytes:
    """A valid-looking .xlsx whose sheet unpacks 2,000 times larger than it is."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<row>" + b" " * 20_000_000 + b"</row>")
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_opened(world):
    data = _bomb()
    assert len(data) < 100_000
    with pytest.raises(FileProblem) as exc:
        read_table(data, "bomb.xlsx")
    assert "压缩炸弹" in exc.value.errors[0]["reason"]
    batch, _ = load("balances", world.hq_service, data, name="bomb.xlsx")
    assert batch.status == BatchStatus.REJECTED and "压缩炸弹" in batch.errors[0]["reason"]


@override_settings(CORE_BANKING_MAX_XLSX_ROWS=2)
def test_xlsx_rows_beyond_the_cap_are_refused_and_nothing_is_loaded(world):
    data = xlsx_bytes([BAL, ["C000000001", "2026-11-25", "10"], ["C000000001", "2026-11-26", "10"],
                       ["C000000001", "2026-11-27", "10"]])
    batch, _ = load("balances", world.hq_service, data, name="b.xlsx")
    assert batch.status == BatchStatus.REJECTED and not DailyBalance.objects.exists()
    assert any("行数超过 2 行" in e["reason"] for e in batch.errors)


def test_xlsx_is_read_in_streaming_mode_and_still_loads(world):
    data = xlsx_bytes([BAL, ["C000000001", "2026-11-27", "10"]])
    batch, _ = load("balances", world.hq_service, data, name="b.xlsx")
    assert batch.status == BatchStatus.LOADED and batch.rows_loaded == 1, batch.errors


@override_settings(CORE_BANKING_MAX_UPLOAD_BYTES=64)
def test_a_file_above_the_size_cap_is_refused_by_the_service_the_page_and_the_api(world, login_as, api_as):
    data = csv_bytes([BAL] + [["C000000001", "2026-11-27", "10"]] * 10)
    batch, _ = load("balances", world.hq_service, data)
    assert batch.status == BatchStatus.REJECTED and "文件过大" in batch.errors[0]["reason"]
    before = ImportBatch.objects.count()
    page = login_as("hq_service").post("/corebanking/imports/upload/",
                                       {"kind": "balances", "file": SimpleUploadedFile("b.csv", data)})
    assert page.status_code == 400 and "文件超过 0 MB" in page.content.decode()
    api = api_as("hq_service").post("/api/v1/imports/", {"kind": "balances",
                                                         "file": SimpleUploadedFile("b.csv", data)}, format="multipart")
    assert api.status_code == 400 and "file" in api.json()
    assert ImportBatch.objects.count() == before


def test_gbk_csv_is_decoded_piecewise(world):
    data = csv_bytes([BAL, ["C000000001", "2026-11-27", "10"]], encoding="gbk")
    table = read_table(data, "b.csv")
    assert table.encoding == "gbk" and table.header == BAL
    assert list(table.rows) == [(2, ["C000000001", "2026-11-27", "10"])]
