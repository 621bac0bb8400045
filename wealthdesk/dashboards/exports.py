"""The dashboard's Excel export (through ``core.exports``: watermark, audit, inert text): the unit's figures with
the month-over-month and year-over-year comparison, then each child unit's (or client manager's) figures."""
from __future__ import annotations

from django.utils.translation import gettext as _

from wealthdesk.core.exports import export_response, filters_from

from .presenters import show_change
from .selectors import Dashboard


def _value(value, f):
    if value is None:
        return ""
    return f"{value * 100:.1f}%" if f.unit == "percent" else value


def headers() -> list[str]:
    return [_("机构/客户经理"), _("类别"), _("指标"), _("本期"), _("上月同期"), _("环比"), _("上年同期"), _("同比")]


def rows(board: Dashboard):
    for item in board.comparison():
        f = item["figure"]
        yield [board.root.name, str(f.group), str(f.label), _value(item["value"], f), _value(item["previous"], f),
               show_change(item["mom"], f) if f.flow else "", _value(item["last_year"], f),
               show_change(item["yoy"], f) if f.flow else ""]
    for row in board.rows:
        for f in board.figures:
            if f.key in row.figures:
                yield [row.name, str(f.group), str(f.label), _value(row.figures[f.key], f), "", "", "", ""]


def dashboard_export(request, board: Dashboard):
    return export_response(user=request.user, title=_("《经营看板》"), headers=headers(), rows=rows(board),
                           filename=f"经营看板-{board.root.name}-{board.period.label}.xlsx", unit=board.root.name,
                           period=board.period.label, filters=filters_from(request.GET),
                           audit_unit_id=board.root.pk, audit_obj=board.root,
                           audit_detail={"dashboard": board.root.pk, "period": board.period.label})
