"""The sheet as .xlsx in the handbook's layout 《理财中心绩效汇总表》 (one row per staff member, one column per
indicator's points, then base, bonus, deductions, adjustments, total and rank; the center's line as the footer),
through the one export mechanism ``core.exports`` (watermark, audit, inert text)."""
from __future__ import annotations

from django.utils.translation import gettext as _

from wealthdesk.core.exports import export_response

from . import selectors
from .choices import PositionGroup


def sheet_rows(user, sheet):
    lines = selectors.sheet_scores(user, sheet)
    codes: dict[str, str] = {}
    for line in lines:
        for item in line["lines"]:
            codes.setdefault(item["code"], item["name"])
    headers = [_("排名"), _("员工"), _("岗位")] + [f"{name}（{_('得分')}）" for name in codes.values()] + \
        [_("基本分"), _("加分"), _("扣分"), _("负责人调整"), _("总分")]
    ranked = sorted(lines, key=lambda line: -line["total"])
    rank = {line["user_id"]: i + 1 for i, line in enumerate(ranked)}
    rows = []
    for line in lines:
        points = {item["code"]: item["earned"] for item in line["lines"]}
        group = PositionGroup(line["group"]).label if line["group"] in PositionGroup.values else ""
        rows.append([rank[line["user_id"]], line["name"], str(group)] + [points.get(c, "") for c in codes] +
                    [line["base"], line["bonus"], -line["deduction_points"], line["adjustment_points"], line["total"]])
    rows.sort(key=lambda r: r[0])
    return headers, rows, lines


def sheet_export(request, sheet):
    headers, rows, lines = sheet_rows(request.user, sheet)
    whole = selectors.sees_whole_sheet(request.user, sheet)
    footer = []
    if whole:
        center = selectors.center_line(sheet, lines)
        footer.append(_("中心平均分 %(avg)s，最高 %(hi)s，最低 %(lo)s，参加考核 %(n)s 人")
                      % {"avg": center.get("total", 0), "hi": center.get("highest", 0),
                         "lo": center.get("lowest", 0), "n": center.get("staff", 0)})
    footer.append(_("状态：%(s)s") % {"s": _("已月结") if sheet.is_closed else _("进行中（实时计算）")})
    if sheet.comment:
        footer.append(_("负责人评语：%(c)s") % {"c": sheet.comment})
    return export_response(user=request.user, title="《理财中心绩效汇总表》", unit=sheet.unit.name,
                           period=sheet.month_label, headers=headers, rows=iter(rows), footer="；".join(footer),
                           audit_obj=sheet, audit_unit_id=sheet.unit_id, audit_detail={"closed": sheet.is_closed},
                           filename=f"理财中心绩效汇总表-{sheet.unit.code}-{sheet.month_label}.xlsx")
