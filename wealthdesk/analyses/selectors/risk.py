"""6. Customer risk (R36): customers' risk tolerance (C1–C5) against the risk of the products they hold (R1–R5).

A **suitability mismatch** is a holding whose product risk is above the customer's level (Cn may hold up to Rn),
or a risk-rated product held by a customer never assessed — listed for follow-up (masked names, a link to the
customer). Concentration: the holdings' split by product risk and the share of the largest products
(with the Herfindahl index over products)."""
from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from wealthdesk.core.masking import mask_name
from wealthdesk.corebanking.choices import ProductRisk
from wealthdesk.customers.choices import RiskLevel

from .base import Context, Result, Table, bar_chart, money, risk_labels, share

TOP_PRODUCTS = 10
MISMATCH_PAGE = 50


def mismatch_q() -> Q:
    """Holdings whose product risk exceeds the customer's tolerance, or rated products of unassessed customers."""
    q = Q(customer__risk_level="") & ~Q(product__risk_level="")
    for i, level in enumerate(RiskLevel, start=1):
        above = [r.value for r in list(ProductRisk)[i:]]
        if above:
            q |= Q(customer__risk_level=level.value, product__risk_level__in=above)
    return q


def mismatches(ctx: Context):
    """The mismatch list (every row: for the page's pages and the export)."""
    return ctx.holdings().filter(mismatch_q()).select_related("customer__client_manager", "product").order_by(
        "customer__center__path", "customer_id", "product__code", "id")


def mismatch_headers() -> list[str]:
    return [_("客户"), _("客户经理"), _("客户风险承受能力"), _("产品"), _("产品风险等级"), _("持有金额（元）"), _("到期日")]


def mismatch_row(h) -> list:
    return [mask_name(h.customer.name), str(h.customer.client_manager or ""),
            h.customer.get_risk_level_display() or _("未评估"), h.product.name,
            h.product.get_risk_level_display(), money(h.amount),
            f"{h.maturity_date:%Y-%m-%d}" if h.maturity_date else ""]


def compute(ctx: Context, *, page: int = 1) -> Result:
    result = Result(kind="risk", as_of=ctx.as_of)
    held = ctx.holdings()
    found: dict[tuple[str, str], list] = {}
    for r in held.values("customer__risk_level", "product__risk_level").annotate(
            n=Count("pk"), amount=Sum("amount")).order_by():
        found[(r["customer__risk_level"], r["product__risk_level"])] = [r["n"], float(r["amount"] or 0)]
    if not found:
        result.empty = _("截至 %(d)s 该机构的客户没有持仓，无法做风险匹配分析。") % {"d": f"{ctx.as_of:%Y-%m-%d}"}
        return result
    total = sum(v[1] for v in found.values())
    bad = held.filter(mismatch_q())
    n_bad = bad.count()
    bad_customers = bad.values("customer_id").distinct().count()
    customers = ctx.customers()
    unassessed = customers.filter(risk_level="").count()
    result.figures = [("holdings", _("持仓笔数"), sum(v[0] for v in found.values())),
                      ("mismatches", _("风险不匹配持仓笔数"), n_bad),
                      ("mismatch_customers", _("风险不匹配客户数"), bad_customers),
                      ("mismatch_amount", _("风险不匹配金额（元）"), money(bad.aggregate(s=Sum("amount"))["s"])),
                      ("unassessed", _("未做风险评估的客户数"), unassessed)]
    products = [(r.value, str(r.label)) for r in ProductRisk] + [("", _("无风险等级"))]
    matrix = Table("matrix", _("客户风险承受能力 × 产品风险等级（持仓笔数）"),
                   [_("客户 \\ 产品"), *[lbl for _k, lbl in products], _("合计")])
    for ckey, clabel in risk_labels():
        row = [found.get((ckey, pkey), [0, 0])[0] for pkey, _l in products]
        matrix.rows.append([clabel, *row, sum(row)])
    matrix.note = _("C1 至 C5 级客户只宜持有不高于 R1 至 R5 同级的产品；高于客户等级的格子即为不匹配。")
    levels = Table("customers", _("客户风险承受能力分布"), [_("风险承受能力"), _("客户数"), _("占比")])
    dist = dict(customers.values("risk_level").annotate(c=Count("pk")).values_list("risk_level", "c").order_by())
    n_customers = sum(dist.values())
    for key, label in risk_labels():
        levels.rows.append([label, dist.get(key, 0), share(dist.get(key, 0), n_customers)])
    by_risk = Table("product_risk", _("持仓金额按产品风险等级"), [_("产品风险等级"), _("持有金额（元）"), _("占比")])
    for pkey, plabel in products:
        amount = sum(v[1] for (c, p), v in found.items() if p == pkey)
        by_risk.rows.append([plabel, money(amount), share(amount, total)])
    result.tables += [matrix, levels, by_risk, _concentration(held, total, result), _mismatch_table(ctx, n_bad, page)]
    result.charts = {"customers": bar_chart(levels, 1), "product_risk": bar_chart(by_risk, 1)}
    return result


def _concentration(held, total, result) -> Table:
    rows = list(held.values("product__code", "product__name").annotate(amount=Sum("amount"), holders=Count(
        "customer_id", distinct=True)).order_by("-amount", "product__code"))
    hhi = round(sum(share(r["amount"], total) ** 2 for r in rows), 4)
    result.figures += [("top_product_share", _("最大单一产品持仓占比"), share(rows[0]["amount"], total) if rows else 0.0),
                       ("hhi", _("产品集中度指数（HHI）"), hhi)]
    table = Table("concentration", _("持仓集中度（前 %(n)s 个产品）") % {"n": TOP_PRODUCTS},
                  [_("产品"), _("持有客户数"), _("持有金额（元）"), _("占比")])
    for r in rows[:TOP_PRODUCTS]:
        table.rows.append([r["product__name"], r["holders"], money(r["amount"]), share(r["amount"], total)])
    table.note = _("HHI 为各产品持仓占比的平方和：越接近 1 越集中。")
    return table


def _mismatch_table(ctx, n_bad, page) -> Table:
    pages = max(1, -(-n_bad // MISMATCH_PAGE))
    page = min(max(1, page), pages)
    table = Table("mismatches", _("风险不匹配清单（待跟进）"), mismatch_headers())
    for h in mismatches(ctx)[(page - 1) * MISMATCH_PAGE: page * MISMATCH_PAGE]:
        table.rows.append(mismatch_row(h))
        table.links.append(h.customer_id)
    table.note = _("共 %(n)s 笔，第 %(p)s / %(t)s 页；完整清单请导出。") % {"n": n_bad, "p": page, "t": pages}
    table.page, table.pages = page, pages
    return table
