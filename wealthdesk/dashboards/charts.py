"""ECharts options of a dashboard (rendered by ``static/wd/app.js`` from ``json_script`` blocks: no inline JS)."""
from __future__ import annotations

from django.utils.translation import gettext as _

from wealthdesk.customers.choices import Tier

from .selectors import Dashboard


def _title(text):
    return {"text": text, "textStyle": {"fontSize": 13}}


def chart_options(board: Dashboard) -> dict[str, dict]:
    total = board.total
    tiers = {"title": _title(_("客户分层")), "tooltip": {"trigger": "item"}, "animation": False,
             "series": [{"type": "pie", "radius": ["35%", "62%"],
                         "data": [{"name": str(label), "value": total.get(f"customers_{t}", 0)}
                                  for t, label in Tier.choices]}]}
    flows = [f for f in board.figures if f.flow and not f.ratio]
    compare = {"title": _title(_("本期与上月同期、上年同期")), "tooltip": {"trigger": "axis"}, "animation": False,
               "legend": {"top": 28, "left": "left"}, "grid": {"left": 40, "right": 10, "top": 64, "bottom": 90},
               "xAxis": {"type": "category", "data": [str(f.label) for f in flows],
                         "axisLabel": {"interval": 0, "rotate": 35}},
               "yAxis": {"type": "value", "minInterval": 1},
               "series": [{"type": "bar", "name": name, "data": [values.get(f.key) or 0 for f in flows]}
                          for name, values in ((_("本期"), total), (_("上月同期"), board.previous),
                                               (_("上年同期"), board.last_year))]}
    names = [r.name for r in board.rows]
    aum = {"title": _title(_("各下级管理资产（万元）")), "tooltip": {"trigger": "axis"}, "animation": False,
           "grid": {"left": 60, "right": 10, "bottom": 80},
           "xAxis": {"type": "category", "data": names, "axisLabel": {"interval": 0, "rotate": 30}},
           "yAxis": {"type": "value"},
           "series": [{"type": "bar", "name": _("管理资产（AUM）"),
                       "data": [round((r.figures.get("aum_total") or 0) / 10000, 2) for r in board.rows]}]}
    coverage = {"title": _title(_("各下级优质客户联系覆盖率（%）")), "tooltip": {"trigger": "axis"}, "animation": False,
                "grid": {"left": 40, "right": 10, "bottom": 80},
                "xAxis": {"type": "category", "data": names, "axisLabel": {"interval": 0, "rotate": 30}},
                "yAxis": {"type": "value", "max": 100},
                "series": [{"type": "bar", "name": _("优质客户联系覆盖率"),
                            "data": [round((r.figures.get("contact_coverage") or 0) * 100, 1) for r in board.rows]}]}
    return {"tiers": tiers, "compare": compare, "aum": aum, "coverage": coverage}
