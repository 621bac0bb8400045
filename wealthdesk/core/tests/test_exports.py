"""DESIGN rule 11: one streaming export mechanism — inert text, illegal characters replaced, no row cap,
a watermark above and below the rows, one audit row per export with the SHA-256 of the bytes served."""
import csv
import datetime as dt
import hashlib
import io
import zipfile

import openpyxl
import pytest
from django.utils import timezone

from wealthdesk.contacts.choices import ContactKind
from wealthdesk.contacts.models import ContactRecord
from wealthdesk.core import exports
from wealthdesk.core.exports import export_response
from wealthdesk.core.models import AuditAction, AuditLog
from wealthdesk.core.testing.exports import download
from wealthdesk.worklogs.choices import LogStatus
from wealthdesk.worklogs.models import DailyLog

pytestmark = pytest.mark.django_db

ATTACKS = ["=1+1", "=2*cmd|' /C calc'!A0", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1"]


def _export(user, rows, fmt="xlsx", **kw):
    response = export_response(user=user, title="《测试表》", headers=["甲", "乙"], rows=rows, fmt=fmt,
                               filename=f"测试.{fmt}", **kw)
    return response, download(response)


def _sheet_rows(content):
    ws = openpyxl.load_workbook(io.BytesIO(content)).active
    return ws, list(ws.iter_rows())


def test_formula_like_text_stays_inert_text_in_xlsx(world):
    _response, content = _export(world.head_c1, [[a, "x"] for a in ATTACKS])
    _ws, rows = _sheet_rows(content)
    cells = [row[0] for row in rows[4:4 + len(ATTACKS)]]
    assert [c.value for c in cells] == ATTACKS  # shown exactly as typed …
    assert all(c.data_type != "f" for c in cells)  # … never a formula
    assert all(c.quotePrefix for c in cells)  # Excel/LibreOffice's own "text" marker
    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml


def test_formula_like_text_is_escaped_in_csv(world):
    _response, content = _export(world.head_c1, [[a, 1] for a in ATTACKS], fmt="csv")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    values = [r[0] for r in rows[2:2 + len(ATTACKS)]]
    assert values == ["'" + a for a in ATTACKS]
    assert all(v[:1] not in "=+-@\t\r" for row in rows for v in row)


def test_a_stored_control_character_exports_fine_and_is_replaced(world, login_as):
    DailyLog.objects.create(staff=world.cm_c1_1, center=world.c1, log_date=timezone.localdate(),
                            status=LogStatus.SUBMITTED, submitted_at=timezone.now(), difficulties="卡\u0001住了")
    response = login_as("head_c1").get(f"/worklogs/logs/export/?start={timezone.localdate().isoformat()}")
    assert response.status_code == 200
    ws, rows = _sheet_rows(download(response))
    assert ws["L5"].value == "卡\ufffd住了"


def test_watermark_says_who_when_unit_filters_and_rows_above_and_below(world):
    _response, content = _export(world.head_c1, [[1, 2], [3, 4]], filters={"status": "open"})
    ws, rows = _sheet_rows(content)
    top = ws["A3"].value
    bottom = [r[0].value for r in rows if r and r[0].value][-1]
    for line in (top, bottom, ws.oddHeader.center.text, ws.oddFooter.center.text):
        assert "head_c1" in line and "朝阳理财中心" in line and "status=open" in line and "行数：2" in line
        assert timezone.localdate().isoformat() in line
    assert ws["A1"].value == "《测试表》" and ws["A2"].value.startswith("机构：") and ws["A4"].value == "甲"


def test_one_audit_row_per_export_with_the_sha256_of_the_bytes_served(world, login_as):
    for i in range(5):
        ContactRecord.objects.create(customer=world.cust_a, staff=world.cm_c1_1, kind=ContactKind.PHONE,
                                     contacted_at=timezone.now() - dt.timedelta(hours=i), content=f"第{i}次")
    client = login_as("head_c1")  # signing in writes its own audit row
    before = AuditLog.objects.count()
    response = client.get("/contacts/export/?kind=phone")
    content = download(response)
    rows = AuditLog.objects.filter(action=AuditAction.EXPORT)
    assert AuditLog.objects.count() == before + 1 and rows.count() == 1
    row = rows.get()
    assert row.detail["sha256"] == hashlib.sha256(content).hexdigest()
    assert row.detail["rows"] == 5 and row.detail["filters"] == {"kind": "phone"} and row.actor == world.head_c1


def test_a_25000_row_export_is_complete(world):
    now = timezone.now()
    ContactRecord.objects.bulk_create(
        [ContactRecord(customer=world.cust_a, staff=world.cm_c1_1, kind=ContactKind.PHONE,
                       contacted_at=now - dt.timedelta(minutes=i), content=f"r{i}") for i in range(25_000)],
        batch_size=5000)
    rows = ContactRecord.objects.order_by("pk").values_list("pk", "content").iterator(chunk_size=2000)
    response, content = _export(world.head_c1, rows)
    ws = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    got = [r[1] for r in ws.iter_rows(min_row=5, max_col=2, values_only=True) if isinstance(r[0], int)]
    assert got == [f"r{i}" for i in range(25_000)] and response["X-Export-Rows"] == "25000"
    assert AuditLog.objects.get(action=AuditAction.EXPORT).detail["rows"] == 25_000


def test_repeated_and_empty_values_come_back_row_by_row(world):
    rows = [["", "同一个值", i, None, "=1"] for i in range(50)]
    response = export_response(user=world.head_c1, title="《测试表》", headers=list("甲乙丙丁戊"), rows=rows,
                               filename="测试.xlsx")
    ws, got = _sheet_rows(download(response))
    assert [[c.value for c in r][:5] for r in got[4:54]] == [[None, "同一个值", i, None, "=1"] for i in range(50)]


def test_rows_beyond_one_sheet_continue_on_the_next_sheet(world, monkeypatch):
    monkeypatch.setattr(exports, "SHEET_MAX_ROWS", 17)  # 4 head rows + 10 rows + 3 tail rows
    _response, content = _export(world.head_c1, [[i, "x"] for i in range(25)])
    wb = openpyxl.load_workbook(io.BytesIO(content))
    assert len(wb.worksheets) == 3
    numbers = [r[0] for ws in wb.worksheets for r in ws.iter_rows(min_row=5, values_only=True)
               if isinstance(r[0], int)]
    assert numbers == list(range(25))
    assert all(ws["A4"].value == "甲" for ws in wb.worksheets)


def test_names_follow_one_rule_in_every_export(world):
    from wealthdesk.core.masking import export_name, sees_full_names

    assert sees_full_names(world.cm_c1_1) and sees_full_names(world.head_c1) and sees_full_names(world.hq_service)
    assert not sees_full_names(world.auditor) and not sees_full_names(world.quality_b1)
    assert not sees_full_names(world.teller_c1) and not sees_full_names(world.advisor_1)
    assert export_name(world.head_c1, "张伟") == "张伟" and export_name(world.auditor, "张伟") == "张*"
