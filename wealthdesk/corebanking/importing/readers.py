"""Turn an uploaded file (CSV in UTF-8 or GBK, or .xlsx) into a header and numbered rows of strings.

Problems with the file as a whole (empty, unknown encoding, formulas, merged header cells) raise
``FileProblem`` with a Chinese message naming the row and column; nothing is loaded then (DESIGN rule 7).
"""
from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _


class FileProblem(Exception):
    """The file cannot be read at all; ``errors`` are dicts with line, column and reason."""

    def __init__(self, errors: list[dict]):
        super().__init__(errors[0]["reason"] if errors else "")
        self.errors = errors


def problem(reason: str, line: int | None = None, column: str = "") -> FileProblem:
    return FileProblem([{"line": line, "column": column, "reason": reason}])


@dataclass
class Table:
    """A readable file: its header and an iterator of (line number, list of cell strings)."""

    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    encoding: str


def decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) first, then GBK (core systems export GBK)."""
    for encoding in ("utf-8-sig", "gbk"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise problem(_("文件编码无法识别：请使用 UTF-8 或 GBK 编码的 CSV 文件，或 .xlsx 文件。"))


def read_csv(data: bytes) -> Table:
    text, encoding = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    while header is not None and not any(c.strip() for c in header):
        header = next(reader, None)
    if header is None:
        raise problem(_("文件为空：没有表头，也没有数据行。"), line=1)

    def rows():
        for row in reader:
            if any(cell.strip() for cell in row):
                yield reader.line_num, row

    return Table([h.strip() for h in header], rows(), encoding)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") if (value.hour or value.minute or value.second) \
            else value.strftime("%Y-%m-%d")
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        workbook = load_workbook(io.BytesIO(data), data_only=False)
    except Exception:
        raise problem(_("无法读取 Excel 文件：文件已损坏或不是 .xlsx 格式。")) from None
    sheet = workbook.worksheets[0]
    for merged in sheet.merged_cells.ranges:
        if merged.min_row <= 1:
            raise problem(_("表头不能有合并单元格（%(cells)s）：请取消合并后每列一个列名。")
                          % {"cells": str(merged)}, line=1, column=get_column_letter(merged.min_col))
    all_rows = list(sheet.iter_rows())
    if not all_rows:
        raise problem(_("文件为空：没有表头，也没有数据行。"), line=1)
    formulas = []
    for row in all_rows:
        for cell in row:
            if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("=")):
                formulas.append({"line": cell.row, "column": cell.coordinate,
                                 "reason": _("单元格含公式：请粘贴为数值后再导入。")})
    if formulas:
        raise FileProblem(formulas)
    header = [_cell_text(c.value) for c in all_rows[0]]
    while header and not header[-1]:
        header.pop()

    def rows():
        for row in all_rows[1:]:
            cells = [_cell_text(c.value) for c in row]
            if any(cells):
                yield row[0].row, cells

    return Table(header, rows(), "xlsx")


def read_table(data: bytes, file_name: str) -> Table:
    if not data:
        raise problem(_("文件为空：没有表头，也没有数据行。"), line=1)
    if file_name.lower().endswith(".xlsx") or data[:2] == b"PK":
        return read_xlsx(data)
    return read_csv(data)
