"""Benchmark: the performance sheet (R34) of a whole branch — 200 centers, 2,000 client managers — for one month,
PostgreSQL.

    .venv/bin/python bench/performance_sheet.py [--centers 200] [--per-center 10] [--keep]

Creates the throw-away database ``wealthdesk_bench_perf`` on 127.0.0.1:5432 (user postgres), migrates it and loads,
set-based (COPY through ``core.bulk.copy_rows`` / ``bulk_create``): one branch with the centers and their client
managers, 100 customers per manager, the month's contacts (about 20 per manager), product purchases (about 30 per
manager), two days of balances per customer (the month's last and the one before it, for ``aum_change``), and the
month's targets of every manager on five indicators. Then it times the sheet of the whole branch (every manager
scored: targets, five metrics, three deductions, adjustments) and one center's sheet, counting the queries (the
same whatever the number of staff; goal: branch < 5 s).
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
DB = "wealthdesk_bench_perf"
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
MONTH = dt.date(2026, 10, 1)


def psql(sql: str, db: str = "postgres") -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-q", "-c", sql], check=True)


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wealthdesk.config.settings.base")
    import django

    django.setup()


def build(centers: int, per_center: int, rng: random.Random) -> list[int]:
    from django.db import connection, transaction
    from django.utils import timezone

    from wealthdesk.contacts.models import ContactRecord
    from wealthdesk.core.bulk import copy_rows, reset_sequence
    from wealthdesk.core.roles import Role
    from wealthdesk.corebanking.models import Product
    from wealthdesk.corebanking.partitions import ensure_partitions
    from wealthdesk.customers.models import Customer
    from wealthdesk.orgs.choices import UnitKind
    from wealthdesk.orgs.models import OrgUnit
    from wealthdesk.staff.models import StaffRole, User
    from wealthdesk.targets.choices import PeriodKind
    from wealthdesk.targets.models import Target
    from wealthdesk.targets.seed import seed_indicators

    now = timezone.now()
    with transaction.atomic():
        hq = OrgUnit.objects.create(code="HO", name="总行", kind=UnitKind.HEAD_OFFICE)
        branch = OrgUnit.objects.create(code="B1", name="分行", kind=UnitKind.BRANCH1, parent=hq)
        subs = [OrgUnit.objects.create(code=f"S{s}", name=f"支行{s}", kind=UnitKind.SUBBRANCH, parent=branch)
                for s in range(20)]
        center_units = [OrgUnit.objects.create(code=f"C{c:03d}", name=f"理财中心{c}", kind=UnitKind.CENTER,
                                               parent=subs[c % 20]) for c in range(centers)]
        users = User.objects.bulk_create([User(username=f"cm_{c}_{m}", full_name=f"客户经理{c}-{m}", unit=unit)
                                          for c, unit in enumerate(center_units) for m in range(per_center)])
        StaffRole.objects.bulk_create([StaffRole(user=u, role=Role.CLIENT_MANAGER) for u in users])
        products = Product.objects.bulk_create([Product(code=f"P{k}", name=f"产品{k}", kind=kind)
                                                for k, kind in enumerate(["wmp", "fund", "insurance"])])
        n = len(users) * 100
        cols = ["id", "cif_no", "name", "gender", "id_type", "id_number", "id_number_bidx", "mobile", "mobile_bidx",
                "mobile_tail", "address", "occupation", "tier", "risk_level", "client_manager_id", "center_id",
                "status", "aum", "aum_avg", "created_at", "updated_at"]
        copy_rows(Customer._meta.db_table, cols, (
            (i, f"C{i:09d}", "客户", "", "passport", f"P{i:09d}", f"bench{i}", "", "", "", "", "", "premium", "",
             users[(i - 1) // 100].pk, users[(i - 1) // 100].unit_id, "active", 500000, 500000, now, now)
            for i in range(1, n + 1)))
    reset_sequence(Customer)
    start = timezone.make_aware(dt.datetime.combine(MONTH, dt.time(9)))
    with transaction.atomic():
        ContactRecord.objects.bulk_create([
            ContactRecord(customer_id=(k * 100) + rng.randrange(1, 101), staff=u, kind="phone",
                          contacted_at=start + dt.timedelta(days=rng.randrange(28), minutes=rng.randrange(480)))
            for k, u in enumerate(users) for _ in range(rng.randint(10, 30))], batch_size=5000)
        copy_rows("corebanking_transaction", ["external_id", "customer_id", "account_no", "occurred_at", "amount",
                                              "direction", "channel", "counterparty_kind", "product_id"], (
            (f"X{k}-{j}", (k * 100) + rng.randrange(1, 101), "6222", start + dt.timedelta(days=rng.randrange(28)),
             Decimal(rng.randrange(10_000, 200_000)), "out", "counter", "own_bank", rng.choice(products).pk)
            for k in range(len(users)) for j in range(rng.randint(15, 45))))
        last, before = dt.date(2026, 10, 31), dt.date(2026, 9, 30)
        ensure_partitions(before, last)
        copy_rows("corebanking_dailybalance", ["customer_id", "as_of", "aum"], (
            (i, day, Decimal(500000 + rng.randrange(-50000, 80000))) for i in range(1, n + 1)
            for day in (before, last)))
        inds = [i for i in seed_indicators() if i.position_group == "client_manager"]
        Target.objects.bulk_create([
            Target(indicator=ind, period_kind=PeriodKind.MONTH, period_start=MONTH, unit_id=u.unit_id, staff=u,
                   amount=Decimal({"yuan": 1_000_000}.get(ind.unit, 20)), weight=ind.default_weight)
            for u in users for ind in inds], batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return [c.pk for c in center_units]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--centers", type=int, default=200)
    parser.add_argument("--per-center", type=int, default=10)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    psql(f"DROP DATABASE IF EXISTS {DB}")
    psql(f"CREATE DATABASE {DB}")
    try:
        setup_django()
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrated in {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        centers = build(args.centers, args.per_center, random.Random(2026))
        print(f"loaded {args.centers} centers, {args.centers * args.per_center:,} client managers, "
              f"{args.centers * args.per_center * 100:,} customers in {time.perf_counter() - started:.1f} s",
              flush=True)
        from wealthdesk.contacts.models import ContactRecord
        from wealthdesk.corebanking.models import Transaction
        from wealthdesk.targets import scoring

        print(f"month {MONTH:%Y-%m}: {ContactRecord.objects.count():,} contacts, "
              f"{Transaction.objects.count():,} purchases", flush=True)
        for label, ids in (("branch", centers), ("one center", centers[:1])):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                per_center = scoring.branch_scores(ids, MONTH)
                summaries = {cid: scoring.center_summary(scores) for cid, scores in per_center.items()}
                elapsed = time.perf_counter() - started
            staff = sum(len(s) for s in per_center.values())
            avg = sum(s["total"] for s in summaries.values()) / max(len(summaries), 1)
            print(f"performance sheet, {label}: {elapsed:.2f} s for {len(ids)} centers / {staff:,} staff, "
                  f"{len(queries)} queries (average score {avg:.1f}; goal branch < 5 s)")
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            psql(f"DROP DATABASE IF EXISTS {DB}")


if __name__ == "__main__":
    main()
