"""Benchmark: ``alerts_scan`` (R6) over 1,000,000 customers' balances and one day's transactions, PostgreSQL.

    .venv/bin/python bench/scan_alerts.py [--customers 1000000] [--keep]

Creates the throw-away database ``wealthdesk_bench_alerts`` on 127.0.0.1:5432 (user postgres), migrates it,
bulk-loads with COPY: the org tree (50 centers, 5 client managers each), N customers, N × 6 daily balances
(the 5-day window of the cumulative rule plus the scanned day, monthly partitions) and one day's transactions
(about 1.2 per customer, a small share of them large), runs ANALYZE, then times ``alerts_scan`` for that day
(target: ≤ 60 s) and prints the figure with the number of alerts opened. A second scan of the same day shows
the "one open alert per customer and rule" rule (it opens nothing).
"""
import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DB = "wealthdesk_bench_alerts"
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
DAY = dt.date(2026, 11, 24)
BALANCE_DAYS = 6


def psql(sql: str, db: str = "postgres") -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-q", "-c", sql], check=True)


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wealthdesk.config.settings.base")
    import django

    django.setup()


def build_org(centers: int = 50, per_center: int = 5) -> list[tuple[int, int]]:
    """Head office → 5 branches → sub-branches → centers; returns (client manager id, center id) pairs."""
    from wealthdesk.core.roles import Role
    from wealthdesk.orgs.choices import UnitKind
    from wealthdesk.orgs.models import OrgUnit
    from wealthdesk.staff.models import StaffRole, User

    hq = OrgUnit.objects.create(code="HO", name="总行", kind=UnitKind.HEAD_OFFICE)
    managers = []
    for b in range(5):
        branch = OrgUnit.objects.create(code=f"B{b}", name=f"分行{b}", kind=UnitKind.BRANCH1, parent=hq)
        sub = OrgUnit.objects.create(code=f"S{b}", name=f"支行{b}", kind=UnitKind.SUBBRANCH, parent=branch)
        for c in range(centers // 5):
            center = OrgUnit.objects.create(code=f"C{b}{c:02d}", name=f"理财中心{b}-{c}", kind=UnitKind.CENTER,
                                            parent=sub)
            for m in range(per_center):
                user = User.objects.create(username=f"cm_{b}_{c}_{m}", full_name=f"客户经理{b}{c}{m}", unit=center)
                StaffRole.objects.create(user=user, role=Role.CLIENT_MANAGER)
                managers.append((user.pk, center.pk))
    return managers


def copy(table: str, columns: list[str], rows) -> int:
    from wealthdesk.core.bulk import copy_rows

    return copy_rows(table, columns, rows)


def load(n: int, managers, rng: random.Random) -> dict[str, float]:
    from django.db import connection, transaction
    from django.utils import timezone

    from wealthdesk.core.bulk import reset_sequence
    from wealthdesk.corebanking.partitions import ensure_partitions
    from wealthdesk.customers.models import Customer

    timings = {}
    now = timezone.now()
    tiers = ["private"] * 3 + ["core"] * 19 + ["premium"] * 70 + ["ordinary"] * 8
    aum0 = {"private": 8_000_000, "core": 2_000_000, "premium": 450_000, "ordinary": 80_000}
    tier_of = [tiers[rng.randrange(100)] for _ in range(n)]
    started = time.perf_counter()
    with transaction.atomic():
        cols = ["id", "cif_no", "name", "gender", "id_type", "id_number", "mobile", "address", "occupation", "tier",
                "risk_level", "client_manager_id", "center_id", "status", "aum", "aum_avg", "created_at",
                "updated_at"]
        copy(Customer._meta.db_table, cols, (
            (i, f"C{i:09d}", "客户", "", "passport", f"P{i:09d}", "", "", "", tier_of[i - 1], "",
             managers[i % len(managers)][0], managers[i % len(managers)][1], "active", aum0[tier_of[i - 1]],
             aum0[tier_of[i - 1]], now, now) for i in range(1, n + 1)))
    reset_sequence(Customer)
    timings["customers"] = time.perf_counter() - started

    first = DAY - dt.timedelta(days=BALANCE_DAYS - 1)
    ensure_partitions(first, DAY)
    started = time.perf_counter()

    def balance_rows():
        for i in range(1, n + 1):
            base = aum0[tier_of[i - 1]] * (0.5 + rng.random())
            drop = rng.random() < 0.01  # about 1% of customers move a large share out during the window
            for d in range(BALANCE_DAYS):
                value = base * (1 + rng.uniform(-0.02, 0.02))
                if drop and d >= BALANCE_DAYS - 2:
                    value *= 0.55
                yield (i, first + dt.timedelta(days=d), Decimal(f"{value:.2f}"))

    with transaction.atomic():
        copy("corebanking_dailybalance", ["customer_id", "as_of", "aum"], balance_rows())
    timings["balances"] = time.perf_counter() - started

    started = time.perf_counter()
    day_start = timezone.make_aware(dt.datetime.combine(DAY, dt.time.min))
    channels = ["counter", "atm", "online", "mobile", "phone", "third_party"]
    parties = ["own_bank", "own_bank", "other_bank", "securities", "cash"]

    def txn_rows():
        k = 0
        for i in range(1, n + 1):
            for _ in range(1 + (rng.random() < 0.2)):
                k += 1
                big = rng.random() < 0.004
                amount = rng.uniform(200_000, 2_000_000) if big else rng.uniform(10, 50_000)
                yield (f"X{k:012d}", i, f"6222{i:015d}", day_start + dt.timedelta(seconds=rng.randrange(86400)),
                       Decimal(f"{amount:.2f}"), "out" if rng.random() < 0.55 else "in", rng.choice(channels),
                       rng.choice(parties))

    with transaction.atomic():
        m = copy("corebanking_transaction", ["external_id", "customer_id", "account_no", "occurred_at", "amount",
                                             "direction", "channel", "counterparty_kind"], txn_rows())
    timings["transactions"] = time.perf_counter() - started
    timings["transaction_rows"] = m
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    psql(f"DROP DATABASE IF EXISTS {DB}")
    psql(f"CREATE DATABASE {DB}")
    try:
        setup_django()
        from django.core.management import call_command

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrated in {time.perf_counter() - started:.1f} s", flush=True)
        from wealthdesk.alerts.models import Alert
        from wealthdesk.alerts.services import alerts_scan

        rng = random.Random(2026)
        managers = build_org()
        t = load(args.customers, managers, rng)
        print(f"loaded {args.customers:,} customers in {t['customers']:.1f} s, "
              f"{args.customers * BALANCE_DAYS:,} balances in {t['balances']:.1f} s, "
              f"{t['transaction_rows']:,} transactions in {t['transactions']:.1f} s (COPY)", flush=True)
        started = time.perf_counter()
        counts = alerts_scan(as_of=DAY)
        elapsed = time.perf_counter() - started
        print(f"alerts_scan {DAY}: {elapsed:.1f} s for {args.customers:,} customers "
              f"(target ≤ 60 s) — opened {sum(counts.values()):,} alerts {counts}")
        started = time.perf_counter()
        again = alerts_scan(as_of=DAY)
        print(f"second scan of the same day: {time.perf_counter() - started:.1f} s, opened {sum(again.values())} "
              f"(one open alert per customer and rule); alerts in table: {Alert.objects.count():,}")
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            psql(f"DROP DATABASE IF EXISTS {DB}")


if __name__ == "__main__":
    main()
