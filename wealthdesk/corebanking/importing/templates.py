"""Downloadable templates per file kind (.csv and .xlsx): the header row and one example row, generated from
``layouts.LAYOUTS`` so they never drift from what the loader accepts; and the column rules in words."""
from __future__ import annotations

import csv
import io

from .layouts import LAYOUTS

FORMATS = ("csv", "xlsx")


def column_rules(kind: str) -> list[dict]:
    return [{"key": c.key, "label": c.label, "required": c.required, "rule": c.rule, "example": c.example}
            for c in LAYOUTS[kind]]


def _rows(kind: str, examples: dict[str, str] | None) -> tuple[list[str], list[str]]:
    examples = examples or {}
    columns = LAYOUTS[kind]
    return [c.label for c in columns], [examples.get(c.key, c.example) for c in columns]


def template_csv(kind: str, examples: dict[str, str] | None = None) -> bytes:
    """UTF-8 with BOM (Excel opens it right), the Chinese column names and one example row."""
    header, example = _rows(kind, examples)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerow(example)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(kind: str, examples: dict[str, str] | None = None) -> bytes:
    """One sheet: header in row 1 (bold), the example in row 2, every cell text (IDs and mobiles keep their
    digits), a comment per header cell with the column's rule."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    header, example = _rows(kind, examples)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(kind)
    for index, (label, value, column) in enumerate(zip(header, example, LAYOUTS[kind], strict=True), start=1):
        head = sheet.cell(row=1, column=index, value=label)
        head.font = Font(bold=True)
        head.comment = Comment(column.rule + ("" if column.required else "（选填）"), "WealthDesk")
        cell = sheet.cell(row=2, column=index, value=value or None)
        cell.number_format = "@"
        sheet.column_dimensions[head.column_letter].width = max(12, len(label) * 2 + 4, len(value or "") + 2)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
