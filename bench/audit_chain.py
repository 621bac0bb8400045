"""Benchmark: the tamper-evident audit chain (issue 15) on PostgreSQL — the cost of chaining each insert under the
chain's advisory lock, single writer and concurrent writers, batches, and the verifier's speed.

    .venv/bin/python bench/audit_chain.py [--rows 20000] [--threads 4] [--verify-rows 200000] [--keep]

Creates the throw-away database ``wealthdesk_bench_audit`` on 127.0.0.1:5432 (user postgres), migrates it, then times
``audit_record`` one row at a time (one writer, then N writers at once), ``audit_many`` (one INSERT per 1,000 rows),
and ``audit_verify`` over the whole table, and checks the chain is unbroken.
"""
import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DB = "wealthdesk_bench_audit"
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"


def psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-q", "-c", sql], check=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--verify-rows", type=int, default=200_000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    psql(f"DROP DATABASE IF EXISTS {DB}")
    psql(f"CREATE DATABASE {DB}")
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wealthdesk.config.settings.base")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    from wealthdesk.core.audit import audit_many, audit_record
    from wealthdesk.core.models import AuditAction, AuditLog
    from wealthdesk.orgs.choices import UnitKind
    from wealthdesk.orgs.models import OrgUnit
    from wealthdesk.security.audit_tools import verify_chain

    unit = OrgUnit.objects.create(code="HO", name="总行", kind=UnitKind.HEAD_OFFICE)

    started = time.perf_counter()
    for i in range(args.rows):
        audit_record(actor=None, action=AuditAction.VIEW, unit_id=unit.pk, detail={"i": i, "what": "bench"})
    single = time.perf_counter() - started
    print(f"one writer: {args.rows} audit_record in {single:.1f} s = {args.rows / single:,.0f} rows/s")

    per_thread = args.rows // args.threads
    barrier = threading.Barrier(args.threads)

    def writer(n):
        barrier.wait()
        for i in range(per_thread):
            audit_record(actor=None, action=AuditAction.VIEW, unit_id=unit.pk, detail={"t": n, "i": i})
        connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(args.threads)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    many = time.perf_counter() - started
    total = per_thread * args.threads
    print(f"{args.threads} writers at once: {total} audit_record in {many:.1f} s = {total / many:,.0f} rows/s")

    remaining = max(args.verify_rows - AuditLog.objects.count(), 0)
    started = time.perf_counter()
    done = 0
    while done < remaining:
        batch = min(10_000, remaining - done)
        audit_many(actor=None, action=AuditAction.EXPORT, objects=[unit] * batch, detail={"what": "bench batch"})
        done += batch
    if remaining:
        bulk = time.perf_counter() - started
        print(f"audit_many: {remaining} rows in {bulk:.1f} s = {remaining / bulk:,.0f} rows/s")

    count = AuditLog.objects.count()
    started = time.perf_counter()
    report = verify_chain()
    verify = time.perf_counter() - started
    print(f"audit_verify: {report.checked} rows in {verify:.1f} s = {report.checked / verify:,.0f} rows/s; "
          f"ok={report.ok} (table {count} rows)")
    assert report.ok and report.checked == count
    connections.close_all()
    if not args.keep:
        psql(f"DROP DATABASE IF EXISTS {DB}")


if __name__ == "__main__":
    main()
