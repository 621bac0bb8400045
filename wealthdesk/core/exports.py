"""The one export mechanism (DESIGN rule 11): every .xlsx and .csv the system hands out is written here.

* **Streaming, constant memory, no row cap.** Rows come from an iterator (``queryset.iterator()``); they are
  cleaned and spooled to a temporary file once (so the row count is known for the header), then written with
  openpyxl's write-only workbook (or the csv module) to a second temporary file that is served with a
  ``FileResponse``. When a sheet reaches Excel's row limit the rows continue on a new sheet with the same
  headers.
* **Inert text.** A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written
  as a string with Excel's quote prefix (xlsx: shown exactly as typed, never a formula, still text after an
  edit) or behind a leading ``'`` (csv, the OWASP escape).
* **Illegal characters replaced.** Control characters that XML forbids become U+FFFD, so one stored
  ``\\u0001`` never turns an export into a 500; text is cut at Excel's 32,767 characters per cell.
* **Watermark.** A line saying who exported, when, for which unit, with which filters and how many rows
  stands above the column headers and below the last row (and in the printed page header and footer).
* **One audit row per export** (action ``export``) with the row count, the filters, the file name and the
  SHA-256 of the exact bytes served.
* **Hidden watermark.** Each export gets an identifier (``export_id``): in the xlsx file's document properties
  (``identifier`` and ``keywords`` ``wd-export:<id>``), at the end of the csv watermark line, and in the audit
  row, so ``manage.py export_trace <file>`` names the person and the audit row of a leaked file.
* **Approval of large customer-data exports** (GB/T 35273 §7.1, JR/T 0171). A caller whose rows carry customer
  data says so (``customer_data=True``). Above ``export.approval_rows`` rows such an export is not served:
  ``ExportNeedsApproval`` is raised and the ``exportcontrol`` app turns it into the request form. The approved
  file is produced by replaying the same export URL inside ``approved_export(...)`` (``exportcontrol``), and a
  request is checked by replaying it inside ``probe_export()``, which raises ``ExportProbed`` with the title, row
  count and filters instead of writing a file. Exports of pure figures stay free.

Values passed in must already be masked (``core.masking``); customer names go through ``export_name``.
"""
from __future__ import annotations

import contextlib
import contextvars
import csv
import datetime as dt
import hashlib
import io
import pickle
import tempfile
import uuid
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .audit import AuditAction, audit_record, audit_row
from .masking import mask_identifiers_in_text

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv; charset=utf-8"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
REPLACEMENT = "\ufffd"
MAX_CELL_CHARS = 32_767
# Excel's limit; a test lowers it to check that rows continue on the next sheet instead of being cut.
SHEET_MAX_ROWS = 1_048_576
_HEAD_ROWS = 4  # title, unit/period, watermark, column headers
_TAIL_ROWS = 3  # blank, footer, watermark
_WIDTH_SAMPLE = 2000
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")
_IGNORED_FILTERS = frozenset({"format", "page", "csrfmiddlewaretoken"})


# ---------------------------------------------------------------------------------------------------------
# the approval gate (exports of customer data above the threshold; the exportcontrol app handles the rest)
# ---------------------------------------------------------------------------------------------------------
_PROBE = object()
_gate: contextvars.ContextVar = contextvars.ContextVar("wd_export_gate", default=None)


class ExportNeedsApproval(Exception):
    """A customer-data export above the threshold was asked for without an approval: nothing was served."""

    def __init__(self, *, title: str, rows: int, filters: dict, threshold: int):
        super().__init__(title)
        self.title, self.rows, self.filters, self.threshold = title, rows, filters, threshold


class ExportProbed(Exception):
    """Raised inside ``probe_export()`` instead of writing the file: what the export would hold."""

    def __init__(self, *, title: str, rows: int, filters: dict, customer_data: bool):
        super().__init__(title)
        self.title, self.rows, self.filters, self.customer_data = title, rows, filters, customer_data


@contextlib.contextmanager
def probe_export():
    """Within this block ``export_response`` counts the rows and raises ``ExportProbed`` (no file, no audit)."""
    token = _gate.set(_PROBE)
    try:
        yield
    finally:
        _gate.reset(token)


@contextlib.contextmanager
def approved_export(grant_id: int):
    """Within this block a customer-data export above the threshold is served (the approval ``grant_id`` is
    named in its audit row)."""
    token = _gate.set(int(grant_id))
    try:
        yield
    finally:
        _gate.reset(token)


def approval_threshold() -> int:
    from .params import get_param

    return int(get_param("export.approval_rows"))


# ---------------------------------------------------------------------------------------------------------
# cleaning one value
# ---------------------------------------------------------------------------------------------------------
def clean_text(value: str) -> str:
    """Replace the control characters XML cannot hold and cut at Excel's cell limit."""
    value = ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT, value)
    return value[:MAX_CELL_CHARS]


def is_formula_like(value: str) -> bool:
    return value[:1] in FORMULA_TRIGGERS if value else False


def csv_text(value: str) -> str:
    """The csv escape: text that a spreadsheet would evaluate gets a leading apostrophe."""
    value = clean_text(value)
    return "'" + value if is_formula_like(value) else value


def cell_value(value):
    """One exported value: dates as YYYY-MM-DD (local time), numbers kept, everything else cleaned text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, int | float | Decimal):
        return value
    return clean_text(str(value) if not isinstance(value, str) else value)


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


# ---------------------------------------------------------------------------------------------------------
# the watermark
# ---------------------------------------------------------------------------------------------------------
def filters_from(query) -> dict[str, str]:
    """The filters of a list request (its query string without paging and format), for watermark and audit."""
    if query is None:
        return {}
    out = {}
    for key in sorted(query.keys()):
        if key in _IGNORED_FILTERS:
            continue
        values = [v for v in query.getlist(key) if v not in ("", None)] if hasattr(query, "getlist") \
            else [query[key]] if query[key] not in ("", None) else []
        if values:
            # a full ID number or mobile typed in a search box is kept masked (watermark, audit row: issue 15)
            out[clean_text(str(key))[:50]] = mask_identifiers_in_text(clean_text(",".join(str(v) for v in values)))[:200]
    return out


def watermark_line(*, user, at: dt.datetime, unit: str, filters: dict, rows: int, export_id: str = "") -> str:
    who = f"{getattr(user, 'full_name', '') or user.get_username()}（{user.get_username()}）"
    shown = "；".join(f"{k}={v}" for k, v in filters.items()) if filters else _("无")
    line = _("导出人：%(who)s　导出时间：%(at)s　机构：%(unit)s　筛选条件：%(filters)s　行数：%(rows)s") % {
        "who": who, "at": timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S"), "unit": unit or "—",
        "filters": shown, "rows": rows}
    return f"{line}　{EXPORT_ID_PREFIX}{export_id}" if export_id else line


EXPORT_ID_PREFIX = "wd-export:"


# ---------------------------------------------------------------------------------------------------------
# spooling: one pass over the rows, constant memory
# ---------------------------------------------------------------------------------------------------------
class _Spool:
    def __init__(self, headers: Sequence[str]):
        self.file = tempfile.TemporaryFile()
        self.count = 0
        self.widths = [max(8, _display_width(str(h)) + 2) for h in headers]

    def feed(self, rows: Iterable[Sequence]) -> None:
        dump, file, widths = pickle.dump, self.file, self.widths
        for row in rows:
            values = [cell_value(v) for v in row]
            if self.count < _WIDTH_SAMPLE:
                for i, v in enumerate(values[:len(widths)]):
                    widths[i] = min(60, max(widths[i], _display_width(str(v)) + 2))
            dump(values, file, protocol=pickle.HIGHEST_PROTOCOL)  # one pickle per row: no memo across rows
            self.count += 1
        self.file.seek(0)

    def __iter__(self):
        for _i in range(self.count):
            yield pickle.load(self.file)

    def close(self) -> None:
        self.file.close()


# ---------------------------------------------------------------------------------------------------------
# writers
# ---------------------------------------------------------------------------------------------------------
def _xlsx_cell(ws, value):
    if isinstance(value, str):
        if not value:
            return None  # an empty cell costs nothing in the sheet
        if is_formula_like(value):
            cell = WriteOnlyCell(ws, value=value)
            cell.data_type = "s"  # a string, never a formula …
            cell.quotePrefix = True  # … and shown (and kept after an edit) as text
            return cell
        return value
    if isinstance(value, Decimal):
        cell = WriteOnlyCell(ws, value=float(value))
        cell.number_format = "#,##0.00"
        return cell
    if isinstance(value, float):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "#,##0.00"
        return cell
    return value


def _text_cell(ws, value: str, **style):
    cell = WriteOnlyCell(ws, value=clean_text(value))
    cell.data_type = "s"
    if is_formula_like(cell.value):
        cell.quotePrefix = True
    for key, val in style.items():
        setattr(cell, key, val)
    return cell


def _write_xlsx(out, *, spool: _Spool, title: str, sheet_title: str, unit: str, period: str,
                headers: Sequence[str], watermark: str, footer: str, export_id: str = "", creator: str = "") -> None:
    wb = Workbook(write_only=True)
    wb.properties.title = clean_text(title)[:200]
    wb.properties.creator = clean_text(creator)[:100] or "WealthDesk"
    wb.properties.identifier = export_id
    wb.properties.keywords = f"{EXPORT_ID_PREFIX}{export_id}"
    width = max(len(headers), 1)
    last_col = get_column_letter(width)
    per_sheet = max(1, SHEET_MAX_ROWS - _HEAD_ROWS - _TAIL_ROWS)
    rows = iter(spool)
    remaining = spool.count
    sheet_no = 0
    while True:
        sheet_no += 1
        name = sheet_title[:31] if sheet_no == 1 else f"{sheet_title[:26]}({sheet_no})"
        ws = wb.create_sheet(title=name)
        for idx, w in enumerate(spool.widths, start=1):
            ws.column_dimensions[get_column_letter(idx)].width = w
        ws.freeze_panes = f"A{_HEAD_ROWS + 1}"
        ws.oddHeader.center.text = watermark.replace("&", "&&")
        ws.oddFooter.center.text = watermark.replace("&", "&&")
        if width > 1:
            ws.merged_cells.add(f"A1:{last_col}1")
            ws.merged_cells.add(f"A3:{last_col}3")
        ws.append([_text_cell(ws, title, font=Font(size=14, bold=True), alignment=Alignment(horizontal="center"))])
        period_col = max(width - 1, 2) if width > 2 else 2
        second = [_text_cell(ws, _("机构：%(unit)s") % {"unit": unit})] + [None] * (period_col - 2)
        ws.append([*second, _text_cell(ws, _("期间：%(period)s") % {"period": period})])
        ws.append([_text_cell(ws, watermark, font=Font(size=9, color="666666"))])
        ws.append([_text_cell(ws, str(h), font=Font(bold=True), fill=_HEADER_FILL, border=_BORDER,
                              alignment=Alignment(horizontal="center", vertical="center", wrap_text=True))
                   for h in headers])
        take = min(per_sheet, remaining)
        for _i in range(take):
            ws.append([_xlsx_cell(ws, v) for v in next(rows)])
        remaining -= take
        if remaining <= 0:
            ws.append([])
            if footer:
                ws.append([_text_cell(ws, footer)])
            ws.append([_text_cell(ws, watermark, font=Font(size=9, color="666666"))])
            break
    wb.save(out)


def _write_csv(out, *, spool: _Spool, title: str, headers: Sequence[str], watermark: str, footer: str) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow([csv_text(f"{title}　{watermark}")])
    writer.writerow([csv_text(str(h)) for h in headers])
    for row in spool:
        writer.writerow([csv_text(v) if isinstance(v, str) else v for v in row])
    if footer:
        writer.writerow([csv_text(footer)])
    writer.writerow([csv_text(watermark)])
    text.flush()
    text.detach()


def csv_rows_text(headers: Sequence[str], rows: Iterable[Sequence]) -> str:
    """A small CSV kept as text (e.g. the rejected rows of a load, stored with its batch), escaped the same way."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_text(str(h)) for h in headers])
    for row in rows:
        writer.writerow([csv_text(v) if isinstance(v, str) else v for v in (cell_value(x) for x in row)])
    return out.getvalue()


# ---------------------------------------------------------------------------------------------------------
# the entry point
# ---------------------------------------------------------------------------------------------------------
def export_response(*, user, title: str, headers: Sequence[str], rows: Iterable[Sequence], filename: str,
                    unit: str | None = None, period: str = "", filters: dict | None = None, footer: str = "",
                    fmt: str = "xlsx", sheet_title: str | None = None, audit_obj=None, audit_unit_id=None,
                    audit_detail: dict | None = None, audit_model=None, customer_data: bool = False) -> FileResponse:
    """Write, audit and serve one export. ``rows`` may be any iterable (a generator over ``.iterator()``).

    ``customer_data=True``: the rows carry customers' data, so above ``export.approval_rows`` rows the export
    needs a second person's approval (``ExportNeedsApproval``; see the module docstring)."""
    if fmt not in ("xlsx", "csv"):
        raise ValueError(f"unknown export format {fmt!r}")
    title = str(title)
    unit = (user.unit.name if getattr(user, "unit_id", None) else "") if unit is None else str(unit)
    filters = dict(filters or {})
    headers = [str(h) for h in headers]
    spool = _Spool(headers)
    gate = _gate.get()
    try:
        spool.feed(rows)
        if gate is _PROBE:
            raise ExportProbed(title=title, rows=spool.count, filters=filters, customer_data=customer_data)
        if customer_data and gate is None:
            threshold = approval_threshold()
            if spool.count > threshold:
                raise ExportNeedsApproval(title=title, rows=spool.count, filters=filters, threshold=threshold)
        at = timezone.now()
        export_id = uuid.uuid4().hex
        mark = watermark_line(user=user, at=at, unit=unit, filters=filters, rows=spool.count, export_id=export_id)
        out = tempfile.TemporaryFile()
        if fmt == "xlsx":
            _write_xlsx(out, spool=spool, title=title, sheet_title=sheet_title or title.strip("《》"), unit=unit,
                        period=str(period), headers=headers, watermark=mark, footer=str(footer),
                        export_id=export_id, creator=user.get_username())
        else:
            _write_csv(out, spool=spool, title=title, headers=headers, watermark=mark, footer=str(footer))
    finally:
        spool.close()
    out.seek(0)
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: out.read(1 << 16), b""):
        digest.update(chunk)
        size += len(chunk)
    out.seek(0)
    detail = {"export": title.strip("《》"), "format": fmt, "rows": spool.count, "filters": filters,
              "sha256": digest.hexdigest(), "bytes": size, "filename": filename, "export_id": export_id,
              "customer_data": bool(customer_data), **(audit_detail or {})}
    if gate is not None:
        detail["approval"] = gate
    unit_id = audit_unit_id if audit_unit_id is not None else getattr(user, "unit_id", None)
    if audit_obj is not None:
        audit_record(actor=user, action=AuditAction.EXPORT, obj=audit_obj, unit_id=unit_id, detail=detail)
    else:
        row = audit_row(actor=user, action=AuditAction.EXPORT, unit_id=unit_id, detail=detail)
        if audit_model is not None:  # a list export: the audit row names the table it came from
            row.object_type = audit_model._meta.label_lower
            row.object_repr = str(audit_model._meta.verbose_name)[:200]
        row.save()
    response = FileResponse(out, as_attachment=True, filename=filename,
                            content_type=XLSX_MIME if fmt == "xlsx" else CSV_MIME)
    response["X-Export-Rows"] = str(spool.count)
    response["X-Export-Id"] = export_id
    return response


__all__ = ["export_response", "filters_from", "cell_value", "csv_text", "clean_text", "csv_rows_text",
           "watermark_line", "XLSX_MIME", "CSV_MIME", "ExportNeedsApproval", "ExportProbed", "probe_export",
           "approved_export", "approval_threshold", "EXPORT_ID_PREFIX"]
