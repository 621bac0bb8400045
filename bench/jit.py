"""Benchmark: PostgreSQL's JIT on the heavy pages' queries, on and off (issue 16; decision in docs/operations.md).

    .venv/bin/python bench/jit.py --db wd_large [--runs 3]
        [--pages hq_service:/compliance/,hq_service:/dashboards/,branch1_service:/api/v1/performance-sheets/]

Renders each page once in-process (Django's test client, signed in as the persona with the second factor
marked, as the tests do) against the given PostgreSQL database, keeps the SELECTs it ran, and runs each one
``--runs`` times under ``EXPLAIN (ANALYZE, FORMAT JSON)`` with ``SET jit = on`` and with ``SET jit = off``
(alternating, median kept). Prints per page the sum of the execution times (planning + execution + JIT) with
JIT on and off, how many queries JIT fired on, its compile time, and the queries it changed most. Server-side
figures: far steadier than HTTP timings on a shared machine. Reads only; the database is not changed.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PAGES = ("hq_service:/,hq_service:/compliance/,hq_service:/dashboards/,hq_service:/customers/,"
                 "hq_service:/contacts/coverage/,hq_service:/api/v1/performance-sheets/,branch1_service:/compliance/,"
                 "head_c1:/,head_c1:/worklogs/team/,lead_c1:/contacts/")


def explain(cursor, sql: str, jit: str) -> tuple[float, float, bool]:
    """(total ms = planning + execution, JIT ms, whether JIT fired) for one run of ``sql``."""
    cursor.execute(f"SET jit = {jit}")
    cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
    plan = cursor.fetchone()[0]
    plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
    jit_ms = plan.get("JIT", {}).get("Timing", {}).get("Total", 0.0)
    return plan["Planning Time"] + plan["Execution Time"], jit_ms, "JIT" in plan


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="wd_large")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", default=DEFAULT_PAGES, help="persona:/path/, comma-separated")
    parser.add_argument("--top", type=int, default=3, help="queries to show per page")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wealthdesk.config.settings.base")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from wealthdesk.core.testing.twofactor import mark_verified
    from wealthdesk.staff.models import User

    call_command("collectstatic", "--noinput", verbosity=0)  # the pages' templates need the manifest
    print(f"{args.db}: {args.runs} runs per query and setting (median); jit_above_cost "
          f"{_show(connection, 'jit_above_cost')}, server default jit={_show(connection, 'jit')}")
    print(f"{'persona':<18} {'page':<34} {'status':>6} {'selects':>7} {'JIT on ms':>10} {'JIT off ms':>10} "
          f"{'fired':>5} {'compile ms':>10}")
    details = []
    for item in args.pages.split(","):
        persona, path = item.split(":", 1)
        client = Client()
        user = User.objects.get(username=persona)
        client.force_login(user)
        mark_verified(client, user)
        with CaptureQueriesContext(connection) as captured:
            status = client.get(path).status_code
        selects = [q["sql"] for q in captured.captured_queries
                   if q["sql"].lstrip().upper().startswith(("SELECT", "WITH")) and "FOR UPDATE" not in q["sql"]]
        on_total = off_total = jit_total = 0.0
        fired = 0
        per_query = []
        with connection.cursor() as cursor:
            for sql in selects:
                on, off, compile_ms, did = [], [], [], False
                for _ in range(args.runs):
                    ms, jit_ms, f = explain(cursor, sql, "on")
                    on.append(ms)
                    compile_ms.append(jit_ms)
                    did = did or f
                    off.append(explain(cursor, sql, "off")[0])
                on_ms, off_ms = statistics.median(on), statistics.median(off)
                on_total += on_ms
                off_total += off_ms
                jit_total += statistics.median(compile_ms)
                fired += did
                per_query.append((on_ms - off_ms, on_ms, off_ms, statistics.median(compile_ms), sql))
            cursor.execute("RESET jit")
        print(f"{persona:<18} {path:<34} {status:>6} {len(selects):>7} {on_total:>10.1f} {off_total:>10.1f} "
              f"{fired:>5} {jit_total:>10.1f}", flush=True)
        per_query.sort(key=lambda q: -abs(q[0]))
        details.append((persona, path, per_query[:args.top]))
    print("\nthe queries JIT changed most (on − off):")
    for persona, path, queries in details:
        for diff, on_ms, off_ms, compile_ms, sql in queries:
            if abs(diff) >= 1:
                print(f"  {persona} {path}: on {on_ms:.1f} ms, off {off_ms:.1f} ms ({diff:+.1f}; JIT "
                      f"{compile_ms:.1f} ms) — {' '.join(sql.split())[:160]}")


def _show(connection, name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


if __name__ == "__main__":
    main()
