"""Benchmark: loading 1,000,000 daily balance rows through the real load path vs. a plain ``psql \\copy`` (R8).

    .venv/bin/python bench/load_balances.py [--rows 1000000] [--keep]

Creates the throw-away database ``wealthdesk_bench`` on 127.0.0.1:5432 (user postgres), migrates it, generates
N customers (one center, COPY), writes a balance CSV of N rows (one day, ``cif_no,as_of,aum``), then

1. loads it with ``corebanking.services.import_run`` — the same path as the page, the API and ``import_core``:
   streamed parse and format checks, COPY into a staging table, unknown customers by join, duplicates by
   window, ``INSERT … SELECT … ON CONFLICT DO NOTHING`` into the month-partitioned ``corebanking_dailybalance``
   (validated and idempotent), committed. What follows in its own transaction (AUM refresh, tier
   recomputation, alert hand-offs) is timed separately;
2. times ``psql \\copy`` of the same file into a same-shaped table (month-partitioned, primary key and the same
   secondary indexes, ``cif_no`` in place of ``customer_id``), no validation;
3. loads the same file again (must load nothing: content hash) and a second, byte-different copy (natural keys:
   0 rows inserted, all skipped);
4. loads a normal next day (balances moved by up to 2 %): the steady-state cost of the load and of the
   after-load work. The first day re-grades nearly every generated customer (they start as "ordinary"),
   which the next day does not.

Prints rows/s for both and the ratio (targets: ≥ 100,000 rows/s and ≥ 1/3 of \\copy).
"""
import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DB = "wealthdesk_bench"
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
DAY = dt.date(2026, 11, 27)


def psql(sql: str, db: str = "postgres") -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-q", "-c", sql], check=True)


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wealthdesk.config.settings.base")
    import django

    django.setup()


def build(rows: int):
    from django.db import connection

    from wealthdesk.core.roles import Role
    from wealthdesk.orgs.choices import UnitKind
    from wealthdesk.orgs.models import OrgUnit
    from wealthdesk.staff.models import StaffRole, User

    hq = OrgUnit.objects.create(code="HO", name="总行", kind=UnitKind.HEAD_OFFICE)
    b1 = OrgUnit.objects.create(code="B1", name="分行", kind=UnitKind.BRANCH1, parent=hq)
    s1 = OrgUnit.objects.create(code="S1", name="支行", kind=UnitKind.SUBBRANCH, parent=b1)
    c1 = OrgUnit.objects.create(code="C1", name="理财中心", kind=UnitKind.CENTER, parent=s1)
    loader = User.objects.create(username="hq_service", full_name="总行数据导入", unit=hq)
    StaffRole.objects.create(user=loader, role=Role.HQ_SERVICE)
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO customers_customer (cif_no, name, gender, id_type, id_number, id_number_bidx, mobile, address, occupation,"
            " tier, risk_level, center_id, status, aum, aum_avg, created_at, updated_at)"
            " SELECT 'B' || lpad(i::text, 9, '0'), '客户' || i, 'M', 'other', '', md5('X' || i), '', '', '', 'ordinary', '',"
            " %s, 'active', 0, 0, now(), now() FROM generate_series(1, %s) AS i", [c1.pk, rows])
        cur.execute("ANALYZE customers_customer")
    return loader


def write_file(path: Path, rows: int) -> None:
    rng = random.Random(7)
    day = DAY.isoformat()
    with path.open("w", encoding="utf-8") as fh:
        fh.write("cif_no,as_of,aum\n")
        for i in range(1, rows + 1):
            fh.write(f"B{i:09d},{day},{rng.randrange(1, 900_000_000) / 100:.2f}\n")


def time_copy(path: Path) -> float:
    psql("""
        DROP TABLE IF EXISTS bench_copy;
        CREATE TABLE bench_copy (cif_no varchar(32) NOT NULL, as_of date NOT NULL, aum numeric(18, 2) NOT NULL,
            batch_id bigint NULL, PRIMARY KEY (cif_no, as_of)) PARTITION BY RANGE (as_of);
        CREATE TABLE bench_copy_p202611 PARTITION OF bench_copy FOR VALUES FROM ('2026-11-01') TO ('2026-12-01');
        CREATE INDEX bench_copy_as_of_idx ON bench_copy (as_of);
        CREATE INDEX bench_copy_batch_idx ON bench_copy (batch_id);
    """, DB)
    start = time.perf_counter()
    psql(f"\\copy bench_copy (cif_no, as_of, aum) FROM '{path}' WITH (FORMAT csv, HEADER true)", DB)
    return time.perf_counter() - start


def main() -> None:
    global DB, URL
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--db", default=DB, help="the throw-away database's name (one per engineer)")
    parser.add_argument("--drop-indexes", default="", help="comma-separated indexes to drop after migrate "
                        "(measures what an index costs the load, e.g. customer_aum_avg_id_idx)")
    args = parser.parse_args()
    n = args.rows
    DB, URL = args.db, f"postgres://postgres@127.0.0.1:5432/{args.db}"

    psql(f"DROP DATABASE IF EXISTS {DB}")
    psql(f"CREATE DATABASE {DB}")
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    for index in filter(None, args.drop_indexes.split(",")):
        psql(f"DROP INDEX {index}", DB)
        print(f"dropped index {index}")
    t = time.perf_counter()
    loader = build(n)
    path = Path(f"/tmp/{DB}_balances.csv")
    write_file(path, n)
    print(f"setup: {n:,} customers and a {path.stat().st_size / 1e6:.1f} MB file in {time.perf_counter() - t:.1f} s")

    from wealthdesk.corebanking import services
    from wealthdesk.corebanking.models import DailyBalance

    after = {}
    real_after = services.after_balance_load

    def timed_after(**kw):
        after["started"] = time.perf_counter()  # the load's transaction is committed by now
        result = real_after(**kw)
        after["result"] = result
        return result

    services.after_balance_load = timed_after
    data = path.read_bytes()
    start = time.perf_counter()
    batch, _ = services.import_run(actor=loader, kind="balances", data=data, file_name=path.name, source="bench")
    total = time.perf_counter() - start
    load_s = after["started"] - start  # validate + insert + commit
    after["seconds"] = total - load_s  # AUM refresh + tiers + alerts, with their own commit
    assert batch.status == "loaded" and batch.rows_loaded == n, (batch.status, batch.rows_loaded, batch.errors[:3])
    assert DailyBalance.objects.count() == n

    copy_s = time_copy(path)

    start = time.perf_counter()
    again, created = services.import_run(actor=loader, kind="balances", data=data, file_name=path.name)
    same_s = time.perf_counter() - start
    assert not created
    start = time.perf_counter()
    other, created = services.import_run(actor=loader, kind="balances", data=data + b"\n", file_name="copy.csv")
    keys_s = time.perf_counter() - start
    assert created and other.rows_loaded == 0 and other.rows_skipped == n, (other.rows_loaded, other.rows_skipped)

    load_rate, copy_rate = n / load_s, n / copy_s
    print(f"real load (validate + insert, {n:,} rows): {load_s:6.2f} s  {load_rate:>10,.0f} rows/s")
    print(f"  then AUM refresh + tiers + alert hand-offs: {after.get('seconds', 0):6.2f} s "
          f"(downgrades {after['result']['downgrades']}, scan {after['result']['scan']})")
    print(f"  whole import_run:                          {total:6.2f} s  {n / total:>10,.0f} rows/s")
    print(f"psql \\copy (no validation):                {copy_s:6.2f} s  {copy_rate:>10,.0f} rows/s")
    print(f"ratio load / \\copy: {load_rate / copy_rate:.2f}  (target ≥ 0.33; load target ≥ 100,000 rows/s)")
    print(f"same file again: {same_s:.2f} s, nothing loaded (content hash); byte-different copy: {keys_s:.2f} s, "
          f"0 inserted, {other.rows_skipped:,} skipped (natural keys)")
    # A normal next day: every customer already graded, balances moved a little (steady state).
    next_day = DAY + dt.timedelta(days=1)
    path2 = Path(f"/tmp/{DB}_balances_2.csv")
    rng = random.Random(11)
    with path.open(encoding="utf-8") as src, path2.open("w", encoding="utf-8") as out:
        out.write(src.readline())
        for line in src:
            cif, _day, aum = line.rstrip("\n").split(",")
            out.write(f"{cif},{next_day.isoformat()},{float(aum) * rng.uniform(0.98, 1.02):.2f}\n")
    start = time.perf_counter()
    day2, _ = services.import_run(actor=loader, kind="balances", data=path2.read_bytes(), file_name=path2.name)
    total2 = time.perf_counter() - start
    load2 = after["started"] - start
    print(f"next day (steady state): load {load2:.2f} s ({n / load2:,.0f} rows/s), then AUM refresh + tiers + alerts "
          f"{total2 - load2:.2f} s (downgrades {after['result']['downgrades']})")
    if not args.keep:
        from django.db import connections

        connections.close_all()
        psql(f"DROP DATABASE IF EXISTS {DB}")
        path.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
