"""Benchmark: the target indicators of issue 11 (sales by kind, new premium by tier, log and debrief discipline,
contact coverage, campaign AUM) over a whole branch — 200 centers, 2,000 client managers — for one month,
PostgreSQL.

    .venv/bin/python bench/indicators.py [--centers 200] [--per-center 10] [--keep]

Loads the same branch as ``performance_sheet.py`` (into its own throw-away database ``wealthdesk_bench_indicators``),
backdates the customers so the contact policy applies to them, adds a submitted log and a debrief for most working
days of every manager, then times each metric for all 2,000 managers at once and counts its queries (the same for
one manager or all of them).
"""
import argparse
import datetime as dt
import random
import time

import performance_sheet as ps

ps.DB = "wealthdesk_bench_indicators"
ps.URL = f"postgres://postgres@127.0.0.1:5432/{ps.DB}"

KEYS = ["sales_amount", "sales_deposits", "sales_wmp", "sales_insurance", "sales_funds", "new_premium_customers",
        "new_premium_private", "new_premium_core", "new_premium_premium", "logs_on_time", "debriefs_held",
        "contact_coverage", "campaign_aum"]


def add_logs(rng: random.Random) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from wealthdesk.core.calendar import working_days_between
    from wealthdesk.core.roles import Role
    from wealthdesk.staff.models import User
    from wealthdesk.worklogs.models import DailyLog, Debrief

    days = working_days_between(ps.MONTH, dt.date(2026, 10, 31))
    users = list(User.objects.filter(role_assignments__role=Role.CLIENT_MANAGER).only("id", "unit_id"))
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE customers_customer SET created_at = %s",
                           [timezone.make_aware(dt.datetime(2026, 1, 5, 9))])
        DailyLog.objects.bulk_create([
            DailyLog(staff_id=u.pk, center_id=u.unit_id, log_date=d, status="submitted",
                     submitted_at=timezone.make_aware(dt.datetime.combine(d, dt.time(18)))
                     + dt.timedelta(days=rng.choice([0, 0, 0, 1])))
            for u in users for d in days if rng.random() < 0.9], batch_size=5000)
        Debrief.objects.bulk_create([
            Debrief(staff_id=u.pk, supervisor_id=u.pk, center_id=u.unit_id, debrief_date=d)
            for u in users for d in days if rng.random() < 0.8], batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--centers", type=int, default=200)
    parser.add_argument("--per-center", type=int, default=10)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    ps.psql(f"DROP DATABASE IF EXISTS {ps.DB}")
    ps.psql(f"CREATE DATABASE {ps.DB}")
    try:
        ps.setup_django()
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        rng = random.Random(2026)
        ps.build(args.centers, args.per_center, rng)
        add_logs(rng)
        print(f"loaded in {time.perf_counter() - started:.1f} s", flush=True)
        from wealthdesk.core import summaries

        started = time.perf_counter()
        summaries.rebuild()  # the loads above bypass the writes that keep them (COPY, bulk_create, UPDATE)
        print(f"summaries rebuilt in {time.perf_counter() - started:.1f} s", flush=True)

        from wealthdesk.core.registry import metric_values
        from wealthdesk.core.roles import Role
        from wealthdesk.staff.models import User

        ids = list(User.objects.filter(role_assignments__role=Role.CLIENT_MANAGER).values_list("pk", flat=True))
        end = dt.date(2026, 10, 31)
        for key in KEYS:
            metric_values(key, ids[:1], ps.MONTH, end)  # warm the calendar and parameter caches
            with CaptureQueriesContext(connection) as one:
                metric_values(key, ids[:1], ps.MONTH, end)
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                values = metric_values(key, ids, ps.MONTH, end)
                elapsed = time.perf_counter() - started
            total = sum(values.values())
            print(f"{key:24s} {elapsed:6.2f} s for {len(ids):,} managers, {len(queries)} queries "
                  f"(1 manager: {len(one)}), {len(values):,} with a figure, sum {total:,.1f}", flush=True)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            ps.psql(f"DROP DATABASE IF EXISTS {ps.DB}")


if __name__ == "__main__":
    main()
