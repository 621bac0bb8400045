"""Demo data for the semiannual analyses (R36): the previous half-year, which the core-banking demo (the last
90 days) does not reach — month-end balances, a few transactions by channel and tier changes (upgrades and
downgrades, consistent with each customer's initial grading and current tier) — and one narrative written by
the head of the first center. Deterministic (``ctx.rng``) and idempotent (skipped once the previous half-year's
last balance day exists)."""
from __future__ import annotations

import calendar
import datetime as dt

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from wealthdesk.core.bulk import copy_rows
from wealthdesk.corebanking.choices import Channel, CounterpartyKind, Direction
from wealthdesk.corebanking.models import DailyBalance, Product, Transaction
from wealthdesk.corebanking.partitions import ensure_partitions
from wealthdesk.customers.choices import PREMIUM_TIERS, TIER_RANK, Tier, TierChangeSource
from wealthdesk.customers.models import Customer, TierHistory

from .choices import AnalysisKind
from .periods import half_of

# Earlier in the year more counter and ATM business, later more mobile (the demo shows the shift).
EARLY_CHANNELS = [Channel.COUNTER] * 4 + [Channel.MOBILE] * 3 + [Channel.ONLINE] * 2 + [Channel.ATM] * 2 + [
    Channel.PHONE]
BY_RANK = {rank: tier for tier, rank in TIER_RANK.items()}


def month_ends(start: dt.date) -> list[dt.date]:
    return [dt.date(start.year, m, calendar.monthrange(start.year, m)[1]) for m in range(start.month, start.month + 6)]


def seed(ctx) -> None:
    prev = half_of(ctx.today).previous()
    if not Customer.objects.exists():
        return
    if DailyBalance.objects.filter(as_of=prev.end).exists():
        ctx.log("    analyses: previous half-year already present")
        return
    with transaction.atomic():
        n_bal = _balances(prev)
        n_txn = _transactions(ctx, prev)
        n_tier = _tier_changes(ctx, prev)
    _narrative(prev)
    ctx.log(f"    analyses: {prev.label}: {n_bal} month-end balances, {n_txn} transactions, {n_tier} tier changes")


def _balances(prev) -> int:
    ensure_partitions(prev.start, prev.end)
    table = DailyBalance._meta.db_table
    n = 0
    with connection.cursor() as cursor:
        for i, day in enumerate(month_ends(prev.start)):
            if DailyBalance.objects.filter(as_of=day).exists():
                continue
            cursor.execute(
                f"INSERT INTO {table} (customer_id, as_of, aum, batch_id) SELECT id, %s,"
                f" ROUND(aum_avg * (0.86 + (id %% 7) * 0.01 + %s), 2), NULL FROM customers_customer"
                f" WHERE status <> 'closed'", [day, i * 0.012])
            n += cursor.rowcount
    return n


def _transactions(ctx, prev) -> int:
    rng = ctx.rng
    tz = timezone.get_current_timezone()
    per_customer = 3 if ctx.size == "small" else 1
    sales = list(Product.objects.filter(kind__in=["wmp", "fund", "insurance", "metal", "bond"])
                 .values_list("pk", flat=True).order_by("code"))
    span = (prev.end - prev.start).days
    # read before the COPY starts: a query on the same connection in the middle of a COPY waits for ever
    customers = list(Customer.objects.order_by("id").values_list("id", "aum_avg"))

    def rows():
        seq = 0
        for cid, avg in customers:
            base = float(avg) or 50_000.0
            for _i in range(per_customer):
                seq += 1
                day = prev.start + dt.timedelta(days=rng.randrange(span + 1))
                at = dt.datetime.combine(day, dt.time(9 + rng.randrange(9), rng.randrange(60)), tzinfo=tz)
                direction = Direction.OUT if rng.random() < 0.5 else Direction.IN
                product = rng.choice(sales) if sales and direction == Direction.OUT and rng.random() < 0.4 else None
                yield (f"AN{prev.label}{seq:09d}", cid, f"6217{cid:010d}00", at,
                       f"{max(100.0, round(base * rng.uniform(0.005, 0.05), 2)):.2f}", direction,
                       rng.choice(EARLY_CHANNELS), CounterpartyKind.OWN_BANK, product, None)

    return copy_rows(Transaction._meta.db_table, ["external_id", "customer_id", "account_no", "occurred_at", "amount",
                                                  "direction", "channel", "counterparty_kind", "product_id",
                                                  "batch_id"], rows())


def _tier_changes(ctx, prev) -> int:
    """Some premium customers were graded one tier lower at opening and upgraded during the half-year; some
    one tier higher and downgraded. Only customers whose sole history row is the initial grading are touched."""
    rng = ctx.rng
    single = (TierHistory.objects.values("customer_id").annotate(n=Count("pk")).filter(n=1)
              .values_list("customer_id", flat=True))
    initial = {r.customer_id: r for r in TierHistory.objects.filter(customer_id__in=single, from_tier="",
                                                                     changed_on__lt=prev.start)}
    tiers = dict(Customer.objects.filter(pk__in=list(initial), tier__in=PREMIUM_TIERS).values_list("pk", "tier"))
    changed, new_rows = [], []
    span = (prev.end - prev.start).days
    for cid in sorted(tiers):
        rank = TIER_RANK[tiers[cid]]
        if cid % 9 == 0:
            before = BY_RANK[rank - 1]  # upgraded during the half-year
        elif cid % 13 == 0 and rank < TIER_RANK[Tier.PRIVATE]:
            before = BY_RANK[rank + 1]  # downgraded during the half-year
        else:
            continue
        row = initial[cid]
        on = prev.start + dt.timedelta(days=rng.randrange(span + 1))
        if before == Tier.ORDINARY:  # graded ordinary at opening: no grading row, the change is the first
            row.changed_on = on
            row.reason = "半年度内升级"
            row.source = TierChangeSource.RECOMPUTE
        else:
            row.to_tier = before
            new_rows.append(TierHistory(customer_id=cid, from_tier=before, to_tier=tiers[cid], changed_on=on,
                                        aum_avg=row.aum_avg, source=TierChangeSource.RECOMPUTE,
                                        reason="半年度内级别调整"))
        changed.append(row)
    TierHistory.objects.bulk_update(changed, ["to_tier", "changed_on", "reason", "source"], batch_size=2000)
    TierHistory.objects.bulk_create(new_rows, batch_size=2000)
    return len(changed)


def _narrative(prev) -> None:
    from wealthdesk.staff.models import User

    from .services import narrative_save

    head = User.objects.filter(username="head_c1").select_related("unit").first()
    if head is None or head.unit is None:
        return
    narrative_save(actor=head, kind=AnalysisKind.RISK, unit=head.unit, period=prev,
                   body="本期风险不匹配持仓主要集中在权益类理财和指数基金，已要求客户经理逐户回访、重新评估风险承受能力，"
                        "不再向低风险等级客户推荐高于其等级的产品。")
