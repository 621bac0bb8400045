"""Reading back what core.exports served (tests): the streamed bytes, the workbook, all its text."""
from __future__ import annotations

import io

import openpyxl


def download(response) -> bytes:
    """The bytes of a (streamed) file response, as the browser receives them."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def workbook(response):
    return openpyxl.load_workbook(io.BytesIO(download(response)))


def sheet(response):
    return workbook(response).active


def xlsx_text(content: bytes) -> str:
    """Every cell value of every sheet (plus page headers and footers), one per line."""
    wb = openpyxl.load_workbook(io.BytesIO(content))
    parts = []
    for ws in wb.worksheets:
        parts += [ws.oddHeader.center.text or "", ws.oddFooter.center.text or ""]
        for row in ws.iter_rows(values_only=True):
            parts += ["" if v is None else str(v) for v in row]
    return "\n".join(parts)
