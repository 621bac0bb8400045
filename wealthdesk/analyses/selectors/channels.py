"""3. Channel-usage preference (R36): transactions of the half-year by channel, month by month and by tier."""
from __future__ import annotations

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from wealthdesk.corebanking.choices import Channel

from .base import Context, Result, Table, money, series_chart, share, tier_key, tier_labels


def months_of(period) -> list[str]:
    return [f"{period.start.year}-{m:02d}" for m in range(period.start.month, period.start.month + 6)]


def compute(ctx: Context) -> Result:
    result = Result(kind="channels", as_of=ctx.as_of)
    txns = ctx.transactions()
    by_month: dict[tuple[str, str], dict] = {}
    for r in txns.annotate(m=TruncMonth("occurred_at", tzinfo=timezone.get_current_timezone())).values(
            "m", "channel").annotate(n=Count("pk"), amount=Sum("amount")).order_by():
        by_month[(f"{r['m']:%Y-%m}", r["channel"])] = r
    total = sum(r["n"] for r in by_month.values())
    if not total:
        result.empty = _("本半年度该机构的客户没有交易流水。")
        return result
    months = months_of(ctx.period)
    channels = list(Channel)
    per_channel = {c.value: sum(r["n"] for (m, ch), r in by_month.items() if ch == c.value) for c in channels}
    amount_channel = {c.value: sum(float(r["amount"] or 0) for (m, ch), r in by_month.items() if ch == c.value)
                      for c in channels}
    top = max(channels, key=lambda c: per_channel[c.value])
    result.figures = [("transactions", _("交易笔数"), total),
                      ("customers", _("有交易的客户数"), txns.values("customer_id").distinct().count()),
                      ("top_channel", _("最常用渠道"), str(top.label)),
                      ("digital_share", _("电子渠道（网银、手机银行）笔数占比"),
                       share(per_channel[Channel.ONLINE] + per_channel[Channel.MOBILE], total))]
    table = Table("channels", _("按渠道"), [_("渠道"), _("交易笔数"), _("笔数占比"), _("交易金额（元）")])
    for c in channels:
        table.rows.append([str(c.label), per_channel[c.value], share(per_channel[c.value], total),
                           money(amount_channel[c.value])])
    result.tables.append(table)
    monthly = Table("months", _("按月份和渠道的交易笔数"), [_("月份"), *[str(c.label) for c in channels], _("合计")])
    for m in months:
        counts = [by_month.get((m, c.value), {}).get("n", 0) for c in channels]
        monthly.rows.append([m, *counts, sum(counts)])
    result.tables.append(monthly)
    result.tables.append(_tier_table(ctx, txns, channels))
    result.charts = {
        "months": series_chart(_("各月交易笔数（按渠道）"), months,
                               {str(c.label): [r[i + 1] for r in monthly.rows] for i, c in enumerate(channels)},
                               kind="line", stack=False),
        "tiers": series_chart(_("各级别客户的渠道构成（笔数）"), [r[0] for r in result.tables[2].rows],
                              {str(c.label): [r[i + 1] for r in result.tables[2].rows]
                               for i, c in enumerate(channels)}),
    }
    return result


def _tier_table(ctx, txns, channels) -> Table:
    found: dict[tuple[str, str], int] = {}
    for r in ctx.with_tier(txns, "t", ctx.period.end, "customer__").values("t", "channel").annotate(n=Count("pk")).order_by():
        k = (tier_key(r["t"]), r["channel"])
        found[k] = found.get(k, 0) + r["n"]
    table = Table("tiers", _("按客户级别和渠道的交易笔数"), [_("客户级别"), *[str(c.label) for c in channels],
                                                            _("合计"), _("电子渠道占比")])
    for key, label in tier_labels():
        counts = [found.get((key, c.value), 0) for c in channels]
        digital = found.get((key, Channel.ONLINE.value), 0) + found.get((key, Channel.MOBILE.value), 0)
        table.rows.append([label, *counts, sum(counts), share(digital, sum(counts))])
    return table
