"""Turn an uploaded file (CSV in UTF-8 or GBK, or .xlsx) into a header and numbered rows of strings.

Problems with the file as a whole (empty, unknown encoding, formulas, merged header cells) raise
``FileProblem`` with a Chinese message naming the row and column; nothing is loaded then (DESIGN rule 7).
"""
from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

CHUNK = 4 * 1024 * 1024


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


def upload_limits() -> dict[str, int]:
    """The caps on one file (settings ``CORE_BANKING_MAX_UPLOAD_BYTES`` and friends; docs/corebanking-formats.md)."""
    from django.conf import settings

    return {"bytes": int(getattr(settings, "CORE_BANKING_MAX_UPLOAD_BYTES", 100 * 1024 * 1024)),
            "xlsx_unzipped": int(getattr(settings, "CORE_BANKING_MAX_XLSX_UNZIPPED_BYTES", 200 * 1024 * 1024)),
            "xlsx_ratio": int(getattr(settings, "CORE_BANKING_MAX_XLSX_RATIO", 100)),
            "xlsx_rows": int(getattr(settings, "CORE_BANKING_MAX_XLSX_ROWS", 200_000))}


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def check_size(data: bytes) -> None:
    limit = upload_limits()["bytes"]
    if len(data) > limit:
        raise problem(_("文件过大（%(size)s）：单个文件不能超过 %(limit)s，请分成多个文件导入。")
                      % {"size": _mb(len(data)), "limit": _mb(limit)})


def detect_encoding(data: bytes) -> str:
    """UTF-8 (with or without BOM) first, then GBK (core systems export GBK); checked chunk by chunk, so the
    whole file is never held as text."""
    import codecs

    view = memoryview(data)
    for encoding in ("utf-8-sig", "gbk"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for start in range(0, len(view), CHUNK):
                decoder.decode(view[start:start + CHUNK])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise problem(_("文件编码无法识别：请使用 UTF-8 或 GBK 编码的 CSV 文件，或 .xlsx 文件。"))


def decode(data: bytes) -> tuple[str, str]:
    """The whole file as text (small files and tests only; the loaders stream through ``read_csv``)."""
    encoding = detect_encoding(data)
    return data.decode(encoding), encoding


def read_csv(data: bytes) -> Table:
    """Stream the rows: the bytes are decoded piecewise by a text wrapper, never copied into one string."""
    encoding = detect_encoding(data)
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    reader = csv.reader(text)
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


MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::[A-Z]+\d+)?"')


def check_zip(data: bytes) -> str:
    """Refuse a zip bomb before openpyxl opens anything: the members' declared sizes and the compression ratio
    are capped. Returns the first worksheet's member name (for the merged-header scan)."""
    limits = upload_limits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise problem(_("无法读取 Excel 文件：文件已损坏或不是 .xlsx 格式。")) from None
    unzipped = sum(m.file_size for m in members)
    packed = max(1, sum(m.compress_size for m in members))
    if unzipped > limits["xlsx_unzipped"] or unzipped / packed > limits["xlsx_ratio"]:
        raise problem(_("Excel 文件解压后过大（%(size)s，压缩比 %(ratio)s 倍），疑似压缩炸弹，已拒绝：解压后不能超过 "
                        "%(limit)s、压缩比不能超过 %(max)s 倍。大文件请使用 CSV。")
                      % {"size": _mb(unzipped), "ratio": int(unzipped / packed), "limit": _mb(limits["xlsx_unzipped"]),
                         "max": limits["xlsx_ratio"]})
    sheets = sorted(m.filename for m in members if m.filename.startswith("xl/worksheets/sheet"))
    return sheets[0] if sheets else ""


def _merged_header(data: bytes, member: str) -> str:
    """The first merged range touching row 1, scanning the sheet's XML in chunks (read-only mode has no
    ``merged_cells``)."""
    if not member:
        return ""
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(member) as stream:
        tail = b""
        while chunk := stream.read(CHUNK):
            window = tail + chunk
            for match in MERGE_RE.finditer(window):
                if int(match.group(2)) <= 1:
                    return match.group(0).split(b'"')[1].decode()
            tail = window[-200:]
    return ""


def read_xlsx(data: bytes) -> Table:
    """Stream the first sheet with openpyxl's read-only mode; formulas, merged header cells and more rows than
    ``CORE_BANKING_MAX_XLSX_ROWS`` are refused with the line and column."""
    from openpyxl import load_workbook

    member = check_zip(data)
    merged = _merged_header(data, member)
    if merged:
        column = re.match(r"[A-Z]+", merged).group(0)
        raise problem(_("表头不能有合并单元格（%(cells)s）：请取消合并后每列一个列名。") % {"cells": merged},
                      line=1, column=column)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        iterator = sheet.iter_rows()
        first = next(iterator, None)
    except FileProblem:
        raise
    except Exception:
        raise problem(_("无法读取 Excel 文件：文件已损坏或不是 .xlsx 格式。")) from None
    if first is None:
        raise problem(_("文件为空：没有表头，也没有数据行。"), line=1)
    max_rows = upload_limits()["xlsx_rows"]

    def formulas_in(row) -> list[dict]:
        return [{"line": cell.row, "column": cell.coordinate, "reason": _("单元格含公式：请粘贴为数值后再导入。")}
                for cell in row if getattr(cell, "data_type", "") == "f"
                or (isinstance(cell.value, str) and cell.value.startswith("="))]

    header_formulas = formulas_in(first)
    if header_formulas:
        raise FileProblem(header_formulas)
    header = [_cell_text(c.value) for c in first]
    while header and not header[-1]:
        header.pop()

    def rows():
        found: list[dict] = []
        count = 0
        for row in iterator:
            count += 1
            line = next((c.row for c in row if getattr(c, "row", None)), count + 1)
            if count > max_rows:
                raise problem(_("Excel 文件行数超过 %(n)s 行：请分成多个文件，或使用 CSV 导入。") % {"n": max_rows},
                              line=line)
            found.extend(formulas_in(row))
            cells = [_cell_text(c.value) for c in row]
            if any(cells) and not found:
                yield line, cells
        workbook.close()
        if found:
            raise FileProblem(found)

    return Table(header, rows(), "xlsx")


def read_table(data: bytes, file_name: str) -> Table:
    if not data:
        raise problem(_("文件为空：没有表头，也没有数据行。"), line=1)
    check_size(data)
    if file_name.lower().endswith(".xlsx") or data[:2] == b"PK":
        return read_xlsx(data)
    return read_csv(data)
