"""Benchmark (issue 16): each compliance measure alone, at head office, a branch and a center, on PostgreSQL.

    .venv/bin/python bench/compliance.py --db wd_comp [--repeat 3] [--explain 200] [--date 2026-11-20]
        [--monitor] [--only R26,R9]

For every registered measure (``core.registry.compliance_measures()``) and every level, the best of ``--repeat``
warm runs of ``measure.compute(center_ids, today)`` in milliseconds and its query count; ``--explain N`` prints
EXPLAIN (ANALYZE, BUFFERS) of every query of a measure slower than N ms at head office. ``--monitor`` also times
``compliance.selectors.monitor`` (all measures + the roll-up) and the page's template at each level.
Read-only on the database it is given (run it on a copy of the large data, never on ``wd_large``).
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _pg


def best(fn, repeat: int):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries, result = [], [], None
    for _ in range(repeat + 1):  # one warm-up
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            result = fn()
            times.append((time.perf_counter() - started) * 1000)
        queries = ctx.captured_queries
    return min(times[1:]), queries, result


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(r[0] for r in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--explain", type=float, default=0)
    parser.add_argument("--date", type=dt.date.fromisoformat, default=None)
    parser.add_argument("--monitor", action="store_true")
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    _pg.setup_django(_pg.db_url(args.db))

    from django.template.loader import render_to_string
    from django.utils import timezone

    from wealthdesk.compliance import selectors
    from wealthdesk.core.registry import compliance_measures
    from wealthdesk.orgs.choices import UnitKind
    from wealthdesk.orgs.models import OrgUnit

    today = args.date or timezone.localdate()
    from django.test import RequestFactory

    from wealthdesk.staff.models import User

    personas = {"head office": "hq_service", "branch": "branch1_service", "sub-branch": "subbranch1_service",
                "center": "head_c1"}
    users = {name: User.objects.select_related("unit").get(username=u) for name, u in personas.items()}
    levels = {name: user.unit for name, user in users.items()}
    ids = {name: list(OrgUnit.objects.filter(path__startswith=u.path, kind=UnitKind.CENTER, is_active=True)
                      .values_list("pk", flat=True)) for name, u in levels.items()}
    print(f"# {args.db}, as of {today}; centers: " + ", ".join(f"{k} {len(v)}" for k, v in ids.items()))
    wanted = {k for k in args.only.split(",") if k}
    print("| measure | " + " | ".join(f"{name} ms (queries)" for name in levels) + " |")
    print("|---|" + "---|" * len(levels))
    slow = []
    for m in compliance_measures():
        if wanted and m.key not in wanted and m.rule not in wanted:
            continue
        cells = []
        for name in levels:
            ms, queries, _r = best(lambda m=m, name=name: m.compute(ids[name], today), args.repeat)
            cells.append(f"{ms:,.1f} ({len(queries)})")
            if name == "head office" and args.explain and ms > args.explain:
                slow.append((m.key, queries))
        print(f"| {m.key} | " + " | ".join(cells) + " |", flush=True)
    for key, queries in slow:
        for q in queries:
            if q["sql"].lstrip().upper().startswith(("SELECT", "WITH")):
                print(f"\n## {key} ({q['time']} s)\n{q['sql'][:2000]}\n{explain(q['sql'])}")
    if args.monitor:
        from django.conf import settings

        settings.STORAGES = {**settings.STORAGES, "staticfiles": {  # no collectstatic manifest in a checkout
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
        print("\n| level | monitor() ms (queries) | template ms | html KB |\n|---|---|---|---|")
        for name, unit in levels.items():
            ms, queries, m = best(lambda unit=unit: selectors.monitor(unit, today), args.repeat)
            request = RequestFactory().get("/compliance/")
            request.user, request.session = users[name], {}
            ctx = {"m": m, "crumbs": [unit], "date_param": ""}
            tms, _q, html = best(lambda ctx=ctx, request=request: render_to_string("compliance/monitor.html", ctx,
                                                                                   request=request), args.repeat)
            print(f"| {name} | {ms:,.1f} ({len(queries)}) | {tms:,.1f} | {len(html) / 1024:,.0f} |", flush=True)


if __name__ == "__main__":
    main()
