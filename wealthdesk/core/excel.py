"""Excel in the handbook's layout: a Chinese title row, the unit and period on top, then a header row.

Used by every export (daily log, contact record, referral and complaint statistics…). Values passed
in must already be masked; the caller audits the export.
"""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def handbook_workbook(*, title: str, unit: str, period: str, headers: Sequence[str], rows: Iterable[Sequence],
                      sheet_title: str | None = None, footer: str = "") -> bytes:
    """Build one sheet: row 1 the form's title (《…》), row 2 unit and period, row 3 headers, rows from 4."""
    wb = Workbook()
    ws = wb.active
    ws.title = (sheet_title or title.strip("《》"))[:31]
    width = max(len(headers), 1)
    ws.cell(row=1, column=1, value=title).font = Font(size=14, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    ws.cell(row=2, column=1, value=f"机构：{unit}")
    ws.cell(row=2, column=max(width - 1, 2) if width > 2 else 2, value=f"期间：{period}")
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=3, column=col, value=str(header))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F3")
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    widths = [max(8, len(str(h)) * 2 + 2) for h in headers]
    row_no = 3
    for row_no, row in enumerate(rows, start=4):
        for col, value in enumerate(row, start=1):
            cell = ws.cell(row=row_no, column=col, value=_cell_value(value))
            cell.border = _BORDER
            if isinstance(value, Decimal | float):
                cell.number_format = "#,##0.00"
            if col <= len(widths):
                widths[col - 1] = min(60, max(widths[col - 1], len(str(cell.value or "")) + 2))
    if footer:
        ws.cell(row=row_no + 2, column=1, value=footer)
    ws.cell(row=row_no + 3, column=1, value=f"导出时间：{timezone.localtime():%Y-%m-%d %H:%M}")
    for idx, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(idx)].width = w
    ws.freeze_panes = "A4"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell_value(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, Decimal):
        return float(value)
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in "=+-@" and len(value) > 1 and not value[1:2].isdigit():
        return "'" + value  # never let user text become a formula (CSV/Excel injection)
    return value


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
