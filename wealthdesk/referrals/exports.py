"""Excel of the R17 statistics in the handbook's layout (core.exports: watermark, one audit row).

Only staff figures are exported (no customer data), so nothing needs masking.
"""
from __future__ import annotations

from wealthdesk.core.exports import export_response, filters_from

DAILY_TITLE = "《优质客户推介日统计表》"
MONTHLY_TITLE = "《优质客户推介月统计表》"
DAILY_HEADERS = ["序号", "推介人", "岗位", "所在机构", "推介数", "已接收", "已转化", "无效"]
MONTHLY_HEADERS = [*DAILY_HEADERS, "转化率", "带来资产（元）", "排名"]


def _rate(row) -> str:
    return "—" if row.get("rate") is None else f"{row['rate'] * 100:.1f}%"


def stats_export(request, stats: dict):
    """The daily or monthly table: one row per referrer, then a subtotal per position and the total."""
    monthly = stats["period"] == "month"
    headers = MONTHLY_HEADERS if monthly else DAILY_HEADERS
    rows = []
    for i, r in enumerate(stats["by_referrer"], start=1):
        row = [i, r["name"], r["position_label"], r["referrer_unit__name"], r["made"], r["accepted"], r["converted"],
               r["invalid"]]
        if monthly:
            row += [_rate(r), r["aum"], r.get("rank", "")]
        rows.append(row)
    for p in stats["by_position"]:
        row = ["", "小计", p["label"], "", p["made"], p["accepted"], p["converted"], p["invalid"]]
        if monthly:
            row += [_rate(p), p["aum"], ""]
        rows.append(row)
    t = stats["total"]
    row = ["", "合计", "", "", t["made"], t["accepted"], t["converted"], t["invalid"]]
    if monthly:
        row += [_rate(t), t["aum"], ""]
    rows.append(row)
    unit = stats["unit"].name if stats["unit"] is not None else ""
    if monthly:
        period = f"{stats['start']:%Y-%m}"
        title, name = MONTHLY_TITLE, f"优质客户推介月统计表-{period}.xlsx"
    else:
        period = f"{stats['start']:%Y-%m-%d}"
        title, name = DAILY_TITLE, f"优质客户推介日统计表-{period}.xlsx"
    return export_response(user=request.user, title=title, unit=unit, period=period, headers=headers, rows=rows,
                           footer="统计口径：按推介日期；已接收含已联系、已转化；转化率=已转化÷推介数",
                           filters=filters_from(request.GET), filename=name,
                           audit_unit_id=getattr(stats["unit"], "pk", None),
                           audit_detail={"report": f"referral_{stats['period']}",
                                         "start": f"{stats['start']:%Y-%m-%d}"})
