"""2. Product-usage preference (R36): products held on the as-of day and bought in the half-year, by product kind,
by tier and by age band; penetration (share of customers holding a kind) and the cross-sell ratio (distinct
products held per customer)."""
from __future__ import annotations

from collections import Counter

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from wealthdesk.corebanking.choices import Direction, ProductKind

from .base import (
    Context,
    Result,
    Table,
    age_band_expr,
    age_band_labels,
    money,
    series_chart,
    share,
    thresholds,
    tier_key,
    tier_labels,
)


def compute(ctx: Context) -> Result:
    result = Result(kind="products", as_of=ctx.as_of)
    day = ctx.as_of
    n_customers = ctx.customers().count()
    if not n_customers:
        result.empty = _("该机构下没有客户。")
        return result
    held = ctx.holdings()
    pairs = held.values("customer_id", "product_id").distinct().count()
    if not pairs:
        result.empty = _("截至 %(d)s 该机构的客户没有持有任何产品。") % {"d": f"{day:%Y-%m-%d}"}
        return result
    holders = held.values("customer_id").distinct().count()
    result.figures = [("customers", _("客户数"), n_customers), ("holders", _("持有产品的客户数"), holders),
                      ("products_held", _("持有产品（户×产品）"), pairs),
                      ("cross_sell", _("交叉销售率（每户持有产品数）"), round(pairs / n_customers, 2)),
                      ("cross_sell_holders", _("持有客户户均产品数"), round(pairs / holders, 2) if holders else 0.0)]
    result.tables.append(_kinds_table(ctx, held, n_customers))
    edges = thresholds("analyses.age_bands")
    # One pass each over customers and holdings grouped by (tier, age band): a customer has one of each, so
    # distinct-customer counts add up exactly over the other dimension.
    base = Counter()
    for r in ctx.with_tier(ctx.customers(), "t", day).annotate(a=age_band_expr(day, edges)).values("t", "a").annotate(
            n=Count("pk")).order_by():
        base[(tier_key(r["t"]), r["a"])] += r["n"]
    tiered = ctx.with_tier(held, "t", day, "customer__")
    age = age_band_expr(day, edges, "customer__birth_date")
    by_kind, by_product = Counter(), Counter()
    for r in tiered.annotate(a=age).values("t", "a", "product__kind").annotate(
            n=Count("customer_id", distinct=True)).order_by():
        by_kind[(tier_key(r["t"]), r["a"], r["product__kind"])] += r["n"]
    for r in tiered.annotate(a=age).values("t", "a", "product_id").annotate(
            n=Count("customer_id", distinct=True)).order_by():
        by_product[(tier_key(r["t"]), r["a"])] += r["n"]  # summed: distinct (customer, product) pairs
    result.tables.append(_group_table("tiers", _("按客户级别的产品渗透率"), _("客户级别"), tier_labels(), 0,
                                      base, by_kind, by_product))
    result.tables.append(_group_table("ages", _("按年龄段的产品渗透率"), _("年龄段"), age_band_labels(edges), 1,
                                      base, by_kind, by_product))
    result.tables.append(_bought_table(ctx))
    kinds = result.tables[0]
    result.charts = {
        "penetration": series_chart(_("各类产品渗透率（%）"), [r[0] for r in kinds.rows],
                                    {_("渗透率"): [round(100 * r[3], 2) for r in kinds.rows]}, stack=False),
        "by_tier": series_chart(_("各级别客户交叉销售率"), [r[0] for r in result.tables[1].rows],
                                {_("户均产品数"): [r[-1] for r in result.tables[1].rows]}, stack=False),
    }
    return result


def _kinds_table(ctx, held, n_customers) -> Table:
    rows = {r["product__kind"]: r for r in held.values("product__kind").annotate(
        holders=Count("customer_id", distinct=True), n=Count("pk"), amount=Sum("amount")).order_by()}
    table = Table("kinds", _("按产品类型的持有情况"), [_("产品类型"), _("持有客户数"), _("持仓笔数"), _("渗透率"),
                                                      _("持有金额（元）")])
    for kind in ProductKind:
        r = rows.get(kind.value, {"holders": 0, "n": 0, "amount": 0})
        table.rows.append([str(kind.label), r["holders"], r["n"], share(r["holders"], n_customers), money(r["amount"])])
    return table


def _group_table(key, title, group_label, groups, axis, base, by_kind, by_product) -> Table:
    """Penetration per product kind and products per customer for each group of one axis (0 tier, 1 age band)."""
    def total(counter, gkey, kind=None):
        return sum(n for k, n in counter.items() if k[axis] == gkey and (kind is None or k[2] == kind))

    table = Table(key, title, [group_label, _("客户数"), *[str(k.label) for k in ProductKind], _("户均产品数")],
                  share_columns=tuple(range(2, 2 + len(ProductKind))))
    for gkey, glabel in groups:
        n = total(base, gkey)
        table.rows.append([str(glabel), n, *[share(total(by_kind, gkey, k.value), n) for k in ProductKind],
                           round(total(by_product, gkey) / n, 2) if n else 0.0])
    table.note = _("各产品类型列为该组客户中持有此类产品的比例；户均产品数为该组客户持有的不同产品数之和除以客户数。")
    return table


def _bought_table(ctx) -> Table:
    rows = {r["product__kind"]: r for r in ctx.transactions().filter(product__isnull=False, direction=Direction.OUT)
            .values("product__kind").annotate(n=Count("pk"), buyers=Count("customer_id", distinct=True),
                                              amount=Sum("amount")).order_by()}
    table = Table("bought", _("本半年度购买情况"), [_("产品类型"), _("购买笔数"), _("购买客户数"), _("购买金额（元）")])
    for kind in ProductKind:
        r = rows.get(kind.value, {"n": 0, "buyers": 0, "amount": 0})
        table.rows.append([str(kind.label), r["n"], r["buyers"], money(r["amount"])])
    return table
