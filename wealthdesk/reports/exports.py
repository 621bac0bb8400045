"""Rows of a report for its Excel export (handbook layout: title, unit and period, then the table)."""
from __future__ import annotations

from django.utils.translation import gettext as _

from . import selectors
from .kinds import SPECS


def report_rows(report, *, masked: bool) -> tuple[list[str], list[list]]:
    content = selectors.masked_content(report, frozen=report.status != "draft") if masked else \
        (report.snapshot if report.status != "draft" and report.snapshot else report.submission_content())
    headers = [_("栏目"), _("项目"), _("内容")]
    rows: list[list] = []
    if content.get("title"):
        rows.append([_("选题"), "", content["title"]])
    for group in (content.get("figures") or {}).get("groups", []):
        for item in group["items"]:
            rows.append([_(group["title"]), _(item["label"]), item["value"]])
    for key, label in SPECS[report.kind].sections:
        rows.append([_("正文"), str(label), (content.get("body") or {}).get(key, "")])
    if report.receiver_comment:
        rows.append([_("接收意见"), "", report.receiver_comment])
    return headers, rows


def footer(report) -> str:
    parts = [_("状态：%(s)s") % {"s": report.chain_status_label}]
    if report.submitted_at:
        parts.append(_("报送：%(who)s %(at)s") % {"who": report.submitted_by, "at": f"{report.submitted_at:%Y-%m-%d}"})
    if report.receiver_unit_id:
        parts.append(_("接收机构：%(u)s") % {"u": report.receiver_unit.name})
    return "；".join(parts)
