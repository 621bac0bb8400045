"""Demo data for the core-banking tables (R8): products, holdings, daily balances and transactions.

* ``small`` (5,000 customers): 90 days of balances (450,000 rows) and transactions.
* ``medium`` / ``large``: only the last 7 days of balances and transactions (the history grows with daily loads).

A few customers get a large outflow / transfer to another bank on the last day, and a few a balance that
drops below their tier for the whole averaging window, so the demo shows alerts and a tier downgrade on the
first run. Then AUM is refreshed, tiers recomputed and the alert hand-offs run for the last day. Idempotent:
nothing happens when balances already exist.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from wealthdesk.core.bulk import copy_rows
from wealthdesk.customers.models import Customer
from wealthdesk.staff.models import User

from .choices import BatchStatus, Channel, CounterpartyKind, Direction, ImportKind, ProductKind
from .models import DailyBalance, Holding, ImportBatch, Product, Transaction
from .partitions import ensure_partitions

PRODUCTS = [
    ("DEP-CUR", "活期储蓄", ProductKind.DEPOSIT_CURRENT, "", None, 0),
    ("DEP-3M", "三个月整存整取", ProductKind.DEPOSIT_TIME, "", 91, None),
    ("DEP-1Y", "一年期整存整取", ProductKind.DEPOSIT_TIME, "", 365, None),
    ("WMP-30", "安心月月盈30天", ProductKind.WMP, "R1", 30, 12),
    ("WMP-90", "稳盈季季享90天", ProductKind.WMP, "R2", 90, 25),
    ("WMP-180", "丰收半年盈180天", ProductKind.WMP, "R2", 180, 70),
    ("WMP-365", "悦享年年红365天", ProductKind.WMP, "R3", 365, 200),
    ("WMP-EQ", "权益增强一号", ProductKind.WMP, "R4", 365, 300),
    ("FND-BAL", "平衡配置混合基金", ProductKind.FUND, "R3", None, None),
    ("FND-BOND", "纯债增利债券基金", ProductKind.FUND, "R2", None, None),
    ("FND-IDX", "沪深300指数基金", ProductKind.FUND, "R4", None, None),
    ("INS-ANN", "金福年金保险", ProductKind.INSURANCE, "R1", 3650, None),
    ("BND-GOV", "储蓄国债（电子式）三年期", ProductKind.BOND, "R1", 1095, 400),
    ("MTL-AU", "积存金", ProductKind.METAL, "R4", None, None),
    ("TP-TRUST", "集合信托计划（代销）", ProductKind.THIRD_PARTY, "R4", 730, 18),
]
SALES_PRODUCTS = ("WMP-30", "WMP-90", "WMP-180", "WMP-365", "FND-BAL", "FND-BOND", "INS-ANN", "BND-GOV", "MTL-AU")
CHANNELS = [Channel.MOBILE] * 5 + [Channel.ONLINE] * 2 + [Channel.COUNTER] * 2 + [Channel.ATM, Channel.PHONE,
                                                                                   Channel.THIRD_PARTY]
COUNTERPARTIES = [CounterpartyKind.OWN_BANK] * 5 + [CounterpartyKind.OTHER_BANK] * 2 + [
    CounterpartyKind.SECURITIES, CounterpartyKind.CASH]


def seed(ctx) -> None:
    if DailyBalance.objects.exists():
        ctx.log("    corebanking: balances already present")
        return
    today = ctx.today
    days = 90 if ctx.size == "small" else 7
    first_day = today - dt.timedelta(days=days - 1)
    loader = User.objects.filter(username="hq_service").first()
    with transaction.atomic():
        products = _products(today, loader)
        batch = ImportBatch.objects.create(kind=ImportKind.BALANCES, file_name="seed_demo", content_hash="seed",
                                           as_of=today, status=BatchStatus.LOADED, created_by=loader,
                                           unit_id=getattr(loader, "unit_id", None), source="seed")
        txn_batch = ImportBatch.objects.create(kind=ImportKind.TRANSACTIONS, file_name="seed_demo",
                                               content_hash="seed", as_of=today, status=BatchStatus.LOADED,
                                               created_by=loader, unit_id=getattr(loader, "unit_id", None),
                                               source="seed")
        customers = list(Customer.objects.order_by("id").values_list("id", "cif_no", "aum_avg"))
        special = _special(customers)
        n_hold = _holdings(ctx, customers, products, today, loader)
        ensure_partitions(first_day, today)
        n_bal = copy_rows(DailyBalance._meta.db_table, ["customer_id", "as_of", "aum", "batch_id"],
                          _balances(ctx, customers, special, first_day, days, batch.pk))
        n_txn = copy_rows(Transaction._meta.db_table,
                          ["external_id", "customer_id", "account_no", "occurred_at", "amount", "direction", "channel",
                           "counterparty_kind", "product_id", "batch_id"],
                          _transactions(ctx, customers, special, products, first_day, days, txn_batch.pk))
        ImportBatch.objects.filter(pk=batch.pk).update(rows_total=n_bal, rows_loaded=n_bal)
        ImportBatch.objects.filter(pk=txn_batch.pk).update(rows_total=n_txn, rows_loaded=n_txn)
    from .services import after_balance_load

    result = after_balance_load(actor=loader, customer_batch=batch)
    ctx.log(f"    corebanking: {len(products)} products, {n_hold} holdings, {n_bal} balances ({days} days), "
            f"{n_txn} transactions; tiers: {result['downgrades']} downgrades; alerts: {result['scan']}")


def _products(today, loader) -> dict[str, Product]:
    objs = []
    for code, name, kind, risk, term, maturity_in in PRODUCTS:
        maturity = today + dt.timedelta(days=maturity_in) if maturity_in else None
        objs.append(Product(code=code, name=name, kind=kind, risk_level=risk, term_days=term, maturity_date=maturity,
                            issuer="本行" if kind != ProductKind.THIRD_PARTY else "某信托公司", created_by=loader))
    existing = set(Product.objects.values_list("code", flat=True))
    Product.objects.bulk_create([p for p in objs if p.code not in existing])
    return {p.code: p for p in Product.objects.all()}


def _special(customers) -> dict[int, str]:
    """Pick demo cases among premium customers: large outflow, transfer to another bank, falling below tier."""
    premium = [c for c in customers if c[2] >= Decimal("300000")]
    special = {}
    for i, (cid, _cif, _avg) in enumerate(premium[:30]):
        special[cid] = ("outflow", "other_bank", "below")[i % 3]
    return special


def _holdings(ctx, customers, products, today, loader) -> int:
    rng = ctx.rng
    now = timezone.now()
    kinds = [p for p in products.values() if p.kind != ProductKind.DEPOSIT_CURRENT]

    def rows():
        for cid, _cif, avg in customers:
            base = float(avg) or 50_000.0
            chosen = rng.sample(kinds, k=min(len(kinds), 1 + rng.randrange(3)))
            for j, product in enumerate(chosen):
                start = today - dt.timedelta(days=rng.randrange(10, 300))
                if product.maturity_date:
                    maturity = product.maturity_date
                elif product.term_days:
                    maturity = start + dt.timedelta(days=product.term_days)
                else:
                    maturity = None
                amount = Decimal(str(round(base * rng.uniform(0.1, 0.4), -2))).quantize(Decimal("0.01"))
                yield (now, now, loader.pk if loader else None, cid, product.pk, f"6217{cid:010d}{j:02d}",
                       amount, start, maturity, None)

    return copy_rows(Holding._meta.db_table, ["created_at", "updated_at", "created_by_id", "customer_id", "product_id",
                                              "account_no", "amount", "start_date", "maturity_date", "batch_id"],
                     rows())


def _balances(ctx, customers, special, first_day, days, batch_id):
    rng = ctx.rng
    dates = [first_day + dt.timedelta(days=i) for i in range(days)]
    for cid, _cif, avg in customers:
        base = float(avg) or rng.uniform(5_000, 150_000)
        case = special.get(cid)
        for i, day in enumerate(dates):
            value = base * (0.97 + 0.06 * rng.random())
            if case == "below" and i >= days - 35:
                value = base * 0.25
            elif case in ("outflow", "other_bank") and i == days - 1:
                value = base * 0.35
            yield cid, day, f"{value:.2f}", batch_id


def _transactions(ctx, customers, special, products, first_day, days, batch_id):
    rng = ctx.rng
    tz = timezone.get_current_timezone()
    sales = [products[c].pk for c in SALES_PRODUCTS if c in products]
    seq = 0
    for cid, _cif, avg in customers:
        base = float(avg) or 50_000.0
        account = f"6217{cid:010d}00"
        for i in range(days):
            if rng.random() > 0.12:
                continue
            day = first_day + dt.timedelta(days=i)
            seq += 1
            at = dt.datetime.combine(day, dt.time(9 + rng.randrange(9), rng.randrange(60)), tzinfo=tz)
            direction = Direction.OUT if rng.random() < 0.5 else Direction.IN
            product = rng.choice(sales) if direction == Direction.OUT and rng.random() < 0.4 else None
            amount = round(base * rng.uniform(0.005, 0.05), 2) or 100.0
            yield (f"SEED{seq:09d}", cid, account, at, f"{amount:.2f}", direction, rng.choice(CHANNELS),
                   CounterpartyKind.OWN_BANK if product else rng.choice(COUNTERPARTIES), product, batch_id)
        case = special.get(cid)
        if case in ("outflow", "other_bank"):
            seq += 1
            last = first_day + dt.timedelta(days=days - 1)
            at = dt.datetime.combine(last, dt.time(10, 30), tzinfo=tz)
            kind = CounterpartyKind.OTHER_BANK if case == "other_bank" else CounterpartyKind.SECURITIES
            yield (f"SEED{seq:09d}", cid, account, at, f"{base * 0.65:.2f}", Direction.OUT, Channel.MOBILE, kind,
                   None, batch_id)
