"""1. Customer contribution (客户贡献度, R36): AUM by customer at the half-year's last balance day, the Pareto
shares (what the top 1 %, 5 %, 20 % of customers hold), by tier and by client manager. Names masked."""
from __future__ import annotations

import math

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from wealthdesk.core.masking import mask_name
from wealthdesk.corebanking.models import DailyBalance
from wealthdesk.staff.models import User

from .base import TABLE_LIMIT, Context, Result, Table, bar_chart, money, share, tier_key, tier_labels

PARETO_SHARES = (0.01, 0.05, 0.20)
TOP_CUSTOMERS = 20


def pareto(amounts_desc: list[float], total: float, shares=PARETO_SHARES) -> dict[float, float]:
    """Share of the total held by the top ``p`` of customers (at least one customer), amounts sorted high→low."""
    n = len(amounts_desc)
    out, running, taken = {}, 0.0, 0
    for p in sorted(shares):
        k = max(1, math.ceil(n * p)) if n else 0
        running += sum(amounts_desc[taken:k])
        taken = max(taken, k)
        out[p] = share(running, total)
    return out


def balances(ctx: Context, day):
    return ctx.in_unit(DailyBalance.objects).filter(as_of=day)


def compute(ctx: Context) -> Result:
    result = Result(kind="contribution")
    day = ctx.balance_day()
    result.as_of = day
    if day is None:
        result.empty = _("本半年度没有日终资产数据，无法计算客户贡献度。")
        return result
    qs = balances(ctx, day)
    amounts = [float(a) for a in qs.order_by("-aum").values_list("aum", flat=True)]
    total = sum(amounts)
    if not amounts:
        result.empty = _("该机构在 %(d)s 没有客户资产数据。") % {"d": f"{day:%Y-%m-%d}"}
        return result
    shares = pareto(amounts, total)
    result.figures = [("customers", _("客户数"), len(amounts)), ("aum", _("资产总额（元）"), money(total)),
                      *[(f"top_{round(p * 100)}", _("前%(p)s%%客户资产占比") % {"p": round(p * 100)}, v)
                        for p, v in shares.items()]]
    result.tables.append(_pareto_table(amounts, total, shares))
    result.tables.append(_tier_table(ctx, qs, day, total))
    result.tables.append(_manager_table(qs, total))
    result.tables.append(_top_table(qs, total))
    result.charts = {"pareto": _pareto_chart(amounts, total), "tiers": bar_chart(result.table("tiers"), 2)}
    return result


def _pareto_table(amounts, total, shares) -> Table:
    table = Table("pareto", _("资产集中度（帕累托）"), [_("客户分组"), _("客户数"), _("资产（元）"), _("资产占比")])
    n = len(amounts)
    for p, v in shares.items():
        k = max(1, math.ceil(n * p))
        table.rows.append([_("前%(p)s%%客户") % {"p": round(p * 100)}, k, money(sum(amounts[:k])), v])
    return table


def _tier_table(ctx, qs, day, total) -> Table:
    rows = ctx.with_tier(qs, "t", day, "customer__").values("t").annotate(
        n=Count("customer_id"), aum=Sum("aum")).order_by()
    merged: dict[str, list] = {}
    for r in rows:
        acc = merged.setdefault(tier_key(r["t"]), [0, 0.0])
        acc[0] += r["n"]
        acc[1] += float(r["aum"] or 0)
    table = Table("tiers", _("按客户级别"), [_("客户级别"), _("客户数"), _("资产（元）"), _("资产占比"), _("户均资产（元）")])
    for key, label in tier_labels():
        n, aum = merged.get(key, [0, 0.0])
        table.rows.append([label, n, money(aum), share(aum, total), money(aum / n) if n else 0.0])
    return table


def _manager_table(qs, total) -> Table:
    rows = list(qs.values("customer__client_manager_id").annotate(n=Count("customer_id"), aum=Sum("aum"))
                .order_by("-aum", "customer__client_manager_id"))
    full = {u.pk: str(u) for u in User.objects.filter(pk__in=[r["customer__client_manager_id"]
                                                             for r in rows[:TABLE_LIMIT]])}
    table = Table("managers", _("按客户经理"), [_("客户经理"), _("客户数"), _("资产（元）"), _("资产占比")])
    for r in rows[:TABLE_LIMIT]:
        cm = r["customer__client_manager_id"]
        table.rows.append([full.get(cm, _("（未分配）")), r["n"], money(r["aum"]), share(r["aum"], total)])
    if len(rows) > TABLE_LIMIT:
        table.note = _("共 %(n)s 名客户经理，此处显示资产最多的 %(k)s 名；完整数据请导出。") % {"n": len(rows), "k": TABLE_LIMIT}
    return table


def _top_table(qs, total) -> Table:
    table = Table("top", _("资产贡献前 %(n)s 名客户") % {"n": TOP_CUSTOMERS},
                  [_("排名"), _("客户"), _("客户经理"), _("资产（元）"), _("资产占比")], link_column=1)
    top = qs.select_related("customer__client_manager").order_by("-aum", "customer_id")[:TOP_CUSTOMERS]
    for i, b in enumerate(top, start=1):
        table.rows.append([i, mask_name(b.customer.name), str(b.customer.client_manager or ""), money(b.aum),
                           share(b.aum, total)])
        table.links.append(b.customer_id)
    return table


def _pareto_chart(amounts, total) -> dict:
    n = len(amounts)
    xs, ys, running, taken = [], [], 0.0, 0
    for step in range(5, 101, 5):
        k = max(1, math.ceil(n * step / 100))
        running += sum(amounts[taken:k])
        taken = max(taken, k)
        xs.append(f"{step}%")
        ys.append(round(100 * share(running, total), 2))
    return {"tooltip": {"trigger": "axis"}, "grid": {"containLabel": True, "left": 10, "right": 10, "top": 30},
            "title": {"text": _("客户累计资产占比（%）"), "textStyle": {"fontSize": 13}},
            "xAxis": {"type": "category", "data": xs, "name": _("客户占比")},
            "yAxis": {"type": "value", "max": 100},
            "series": [{"type": "line", "data": ys, "areaStyle": {}, "itemStyle": {"color": "#c7000b"}}]}

