"""The operating report (R35) as Excel: the .xlsx opens back with openpyxl, carries the handbook's title, the
system's figures and the narrative, no live formula (a narrative starting with "=" stays text), personal data masked
for the sub-branch that receives it, and the watermark (who, when, rows) in the sheet and its page header/footer."""
import io

import openpyxl
import pytest

from wealthdesk.core.submission import submission_submit
from wealthdesk.core.testing.exports import download
from wealthdesk.reports import services
from wealthdesk.reports.tests.helpers import center_report

pytestmark = pytest.mark.django_db
NARRATIVE = "=1+1 客户张伟（13812341234，身份证110105198001010016）新增理财 50 万元。"


def test_operating_report_excel_opens_back_masked_with_figures_and_watermark(world, login_as):
    report = center_report(world, text="运营平稳。")
    report = services.report_update(actor=world.head_c1, report=report, version=report.version,
                                    body={"summary": "运营平稳。", "issues": NARRATIVE})
    submission_submit(actor=world.head_c1, report=report)
    resp = login_as("subbranch1_service").get(f"/reports/{report.pk}/export/")
    assert resp.status_code == 200 and "spreadsheetml" in resp["Content-Type"]
    wb = openpyxl.load_workbook(io.BytesIO(download(resp)))
    ws = wb.active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    text = "\n".join(str(c.value) for c in cells)
    assert "网点运营状况报告" in str(ws["A1"].value)
    groups = {g["title"] for g in report.figures["groups"]}
    assert groups and all(title in text for title in groups), groups
    labels = [i["label"] for g in report.figures["groups"] for i in g["items"]]
    assert labels and all(label in text for label in labels[:5])
    assert "运营概况" in text and "新增理财 50 万元" in text
    assert not [c.coordinate for c in cells if c.data_type == "f"], "no live formula"
    risky = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=")]
    assert risky and all(c.data_type == "s" and c.quotePrefix for c in risky), "kept as inert, quoted text"
    assert "13812341234" not in text and "110105198001010016" not in text and "张伟" not in text
    watermark = "导出人：" + world.subbranch1_service.get_full_name()
    assert watermark in text and "行数：" in text
    assert watermark in (ws.oddHeader.center.text or "") and watermark in (ws.oddFooter.center.text or "")
