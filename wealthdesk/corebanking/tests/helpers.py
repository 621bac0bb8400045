"""Small file builders shared by the corebanking tests."""
from __future__ import annotations

import io


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    import csv

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list], merge: str | None = None, formula_at: str | None = None) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    if formula_at:
        ws[formula_at] = "=1+1"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


PRODUCTS = [["产品代码", "产品名称", "产品类型", "风险等级", "期限天数", "到期日", "发行机构"],
            ["WMP001", "稳盈90天", "理财产品", "R2", "90", "2026-12-20", "本行"],
            ["DEP001", "活期储蓄", "活期存款", "", "", "", "本行"]]


def load(kind, actor, rows, name="f.csv", **kw):
    from wealthdesk.corebanking.services import import_run

    data = rows if isinstance(rows, bytes) else csv_bytes(rows)
    return import_run(actor=actor, kind=kind, data=data, file_name=name, **kw)
