"""5. Customer-group analysis (R36): customers by tier, AUM band, age band and life stage at the half-year's end,
and the tier migration over the half-year as a transition matrix (R2 tier history: tier on the day before the
half-year against the tier on its last day)."""
from __future__ import annotations

from decimal import Decimal

from django.db.models import Case, CharField, Count, DecimalField, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wealthdesk.corebanking.models import DailyBalance

from .base import (
    Context,
    Result,
    Table,
    age_band_expr,
    age_band_labels,
    bar_chart,
    money,
    share,
    thresholds,
    tier_key,
    tier_labels,
)

LIFE_STAGES = [gettext_lazy("青年单身期"), gettext_lazy("家庭形成期"), gettext_lazy("家庭成熟期"), gettext_lazy("退休养老期")]


def aum_band_labels(edges: list[int]) -> list[tuple[str, str]]:
    def wan(v):
        return f"{v / 10000:g}"

    out = [(f"<{edges[0]}", _("%(n)s万元以下") % {"n": wan(edges[0])})]
    for low, high in zip(edges, edges[1:], strict=False):
        out.append((f"{low}-{high}", _("%(a)s–%(b)s万元") % {"a": wan(low), "b": wan(high)}))
    out.append((f">={edges[-1]}", _("%(n)s万元及以上") % {"n": wan(edges[-1])}))
    return out


def aum_band_expr(edges: list[int], field_name: str = "aum_end"):
    labels = aum_band_labels(edges)
    whens = [When(**{f"{field_name}__gte": Decimal(edge)}, then=Value(key))
             for edge, (key, _l) in zip(reversed(edges), reversed(labels[1:]), strict=True)]
    return Case(*whens, default=Value(labels[0][0]), output_field=CharField())


def life_stage_labels(edges: list[int]) -> list[tuple[str, str]]:
    """Life stages by age (the customer master holds no family data): one name per band when the parameter has
    three edges, else the age ranges themselves."""
    bands = age_band_labels(edges)
    if len(bands) - 1 != len(LIFE_STAGES):
        return bands
    return [(key, f"{LIFE_STAGES[i]}（{label}）") for i, (key, label) in enumerate(bands[:-1])] + [bands[-1]]


def compute(ctx: Context) -> Result:
    result = Result(kind="groups", as_of=ctx.as_of)
    day = ctx.balance_day()
    end = ctx.period.as_of(ctx.today)
    balance = DailyBalance.objects.filter(customer_id=OuterRef("pk"), as_of=day).values("aum")[:1]
    customers = ctx.customers().annotate(
        aum_end=Coalesce(Subquery(balance), Value(Decimal("0")), output_field=DecimalField(max_digits=18,
                                                                                            decimal_places=2)))
    aum_edges, age_edges, stage_edges = (thresholds("analyses.aum_bands"), thresholds("analyses.age_bands"),
                                         thresholds("analyses.life_stage_ages"))
    # One pass over the customers, grouped by every dimension at once (a few hundred rows come back); each table
    # and the migration matrix are sums over the other dimensions.
    cells: dict[tuple, list] = {}
    tiered = ctx.with_tier(ctx.with_tier(customers, "t0", ctx.period.before_start), "t1", end)
    for r in tiered.annotate(band=aum_band_expr(aum_edges),
            age=age_band_expr(end, age_edges), stage=age_band_expr(end, stage_edges)).values(
            "t0", "t1", "band", "age", "stage").annotate(c=Count("pk"), aum=Sum("aum_end")).order_by():
        key = (tier_key(r["t0"]), tier_key(r["t1"]), r["band"], r["age"], r["stage"])
        acc = cells.setdefault(key, [0, 0.0])
        acc[0] += r["c"]
        acc[1] += float(r["aum"] or 0)
    n = sum(v[0] for v in cells.values())
    if not n:
        result.empty = _("该机构下没有客户。")
        return result
    total_aum = sum(v[1] for v in cells.values())
    groupings = [
        ("tiers", _("按客户级别"), _("客户级别"), 1, tier_labels()),
        ("aum_bands", _("按资产规模"), _("资产规模"), 2, aum_band_labels(aum_edges)),
        ("ages", _("按年龄段"), _("年龄段"), 3, age_band_labels(age_edges)),
        ("life_stages", _("按人生阶段"), _("人生阶段"), 4, life_stage_labels(stage_edges)),
    ]
    for key, title, label, axis, labels in groupings:
        table = Table(key, title, [label, _("客户数"), _("客户占比"), _("资产（元）"), _("资产占比")])
        for gkey, glabel in labels:
            c = sum(v[0] for k, v in cells.items() if k[axis] == gkey)
            aum = sum(v[1] for k, v in cells.items() if k[axis] == gkey)
            table.rows.append([str(glabel), c, share(c, n), money(aum), share(aum, total_aum)])
        result.tables.append(table)
    if day is None:
        for table in result.tables:
            table.note = _("本半年度没有日终资产数据，资产按 0 计。")
    moves: dict[tuple[str, str], int] = {}
    for k, v in cells.items():
        moves[(k[0], k[1])] = moves.get((k[0], k[1]), 0) + v[0]
    matrix, moved = transition_matrix(ctx, moves)
    result.tables.append(matrix)
    result.figures = [("customers", _("客户数"), n), ("aum", _("资产总额（元）"), money(total_aum)),
                      ("upgrades", _("本期升级客户数"), moved["up"]), ("downgrades", _("本期降级客户数"), moved["down"])]
    result.charts = {"tiers": bar_chart(result.tables[0], 1), "aum_bands": bar_chart(result.tables[1], 1),
                     "ages": bar_chart(result.tables[2], 1), "matrix": _heatmap(matrix)}
    return result


def transition_matrix(ctx: Context, counts: dict[tuple[str, str], int]) -> tuple[Table, dict]:
    """Customers counted by (tier on the day before the half-year, tier at its end): rows = from, columns = to."""
    from wealthdesk.customers.choices import TIER_RANK

    labels = tier_labels()
    table = Table("migration", _("客户级别迁移矩阵（期初→期末）"),
                  [_("期初级别 \\ 期末级别"), *[lbl for _k, lbl in labels], _("合计")])
    for fkey, flabel in labels:
        row = [counts.get((fkey, tkey), 0) for tkey, _l in labels]
        table.rows.append([flabel, *row, sum(row)])
    table.rows.append([_("合计"), *[sum(counts.get((f, t), 0) for f, _l in labels) for t, _l2 in labels],
                       sum(counts.values())])
    up = sum(c for (f, t), c in counts.items() if TIER_RANK[t] > TIER_RANK[f])
    down = sum(c for (f, t), c in counts.items() if TIER_RANK[t] < TIER_RANK[f])
    table.note = _("期初为 %(a)s 日终，期末为 %(b)s 日终的客户级别。") % {
        "a": f"{ctx.period.before_start:%Y-%m-%d}", "b": f"{ctx.period.as_of(ctx.today):%Y-%m-%d}"}
    return table, {"up": up, "down": down}


def _heatmap(matrix: Table) -> dict:
    labels = [str(h) for h in matrix.headers[1:-1]]
    data = [[j, i, matrix.rows[i][j + 1]] for i in range(len(labels)) for j in range(len(labels))]
    return {"tooltip": {}, "title": {"text": str(matrix.title), "textStyle": {"fontSize": 13}},
            "grid": {"containLabel": True, "left": 10, "right": 10, "top": 40, "bottom": 60},
            "xAxis": {"type": "category", "data": labels, "name": _("期末")},
            "yAxis": {"type": "category", "data": labels, "name": _("期初"), "inverse": True},
            "visualMap": {"min": 0, "max": max([d[2] for d in data] + [1]), "calculable": True,
                          "orient": "horizontal", "left": "center", "bottom": 0, "inRange": {"color": ["#fff", "#c7000b"]}},
            "series": [{"type": "heatmap", "data": data, "label": {"show": True}}]}
