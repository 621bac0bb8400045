"""The hidden watermark (issue 15): every export carries its identifier in the file's properties, and
``manage.py export_trace <file>`` names the person and the audit row from a real file."""
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from wealthdesk.core.audit import AuditAction
from wealthdesk.core.exports import export_response
from wealthdesk.core.models import AuditLog
from wealthdesk.core.testing.exports import download

from .factories import EXPORT_URL, contacts

pytestmark = pytest.mark.django_db


def _trace(path) -> str:
    out = io.StringIO()
    call_command("export_trace", str(path), stdout=out)
    return out.getvalue()


def test_xlsx_carries_its_id_and_is_traced(world, login_as, tmp_path):
    contacts(world, 3)
    response = login_as("cm_c1_1").get(EXPORT_URL)
    content = download(response)
    props = openpyxl.load_workbook(io.BytesIO(content)).properties
    row = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert props.identifier == row.detail["export_id"] == response["X-Export-Id"]
    assert props.keywords == f"wd-export:{row.detail['export_id']}" and props.creator == "cm_c1_1"
    path = tmp_path / "leaked.xlsx"
    path.write_bytes(content)
    text = _trace(path)
    assert f"审计记录：#{row.pk}" in text and "cm_c1_1" in text and "朝阳理财中心" in text
    assert row.detail["export_id"] in text and "SHA-256 一致" in text
    assert AuditLog.objects.filter(source="command:export_trace", detail__found=row.pk).exists()


def test_csv_is_traced_by_the_id_in_its_watermark(world, tmp_path):
    request = RequestFactory().get("/")
    request.user = world.head_c1
    response = export_response(user=world.head_c1, title="《测试》", headers=["a"], rows=[["1"]], fmt="csv",
                               filename="t.csv")
    path = tmp_path / "leaked.csv"
    path.write_bytes(download(response))
    assert "head_c1" in _trace(path)


def test_an_unknown_file_is_not_traced(world, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(CommandError, match="未找到"):
        _trace(path)
    with pytest.raises(CommandError, match="文件不存在"):
        _trace(tmp_path / "missing.xlsx")


def test_pdf_is_traced_by_its_metadata(world, tmp_path):
    from wealthdesk.core.pdf import pdf_response

    request = RequestFactory().get("/")
    request.user = world.head_c1
    response = pdf_response(request=request, template="exportcontrol/_errors.html", context={"errors": ["测试"]},
                            title="《测试》", filename="t.pdf")
    row = AuditLog.objects.get(action=AuditAction.EXPORT)
    path = tmp_path / "leaked.pdf"
    path.write_bytes(response.content)
    text = _trace(path)
    assert row.detail["export_id"] in text and f"审计记录：#{row.pk}" in text and "head_c1" in text
