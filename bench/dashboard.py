"""Benchmark: the head-office roll-up dashboard (R1) at bank size on PostgreSQL, and each figure against the raw
SQL that computes it.

    .venv/bin/python bench/dashboard.py [--customers 1000000] [--keep]

Creates the throw-away database ``wealthdesk_bench_dashboard`` on 127.0.0.1:5432 (user postgres), migrates it and
builds the data set-based, inside PostgreSQL (INSERT … SELECT generate_series): head office → 10 tier-1 branches →
100 sub-branches → 1,334 centers, 4 client managers per center, N customers, 4 days of balances (the last day, the
day before, the last day of the previous month and of the previous year: the days the AUM changes need), a month
of contacts, referrals, complaints, alerts, tier changes, needs questions, and holdings maturing. Then it times
the head-office dashboard (``dashboards.selectors.dashboard``) cold (the AUM summary built on first read) and
warm (target < 1 s), and for every registered figure source its time next to the hand-written SQL that computes
the same per-center figures (target: within 2×).
"""
import argparse
import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DB = "wealthdesk_bench_dashboard"
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
DAY = dt.date(2026, 11, 27)
BALANCE_DAYS = [dt.date(2025, 12, 31), dt.date(2026, 10, 31), dt.date(2026, 11, 26), DAY]
START = DAY.replace(day=1)


def psql(sql: str, db: str = "postgres") -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-q", "-c", sql], check=True)


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wealthdesk.config.settings.base")
    import django

    django.setup()


def insert_select(model, n_sql: str, values: dict[str, str]) -> int:
    """``INSERT INTO <model> (...) SELECT <exprs> FROM generate_series(1, n) AS g(i)``: every NOT NULL column
    without a value given gets '' / false / now() / '{}' by its type (the generated rows are plain)."""
    from django.db import connection, models

    cols, exprs = [], []
    for f in model._meta.concrete_fields:
        if f.primary_key and f.column not in values:
            continue
        if f.column in values:
            expr = values[f.column]
        elif f.null:
            continue
        elif isinstance(f, models.DateTimeField):
            expr = "now()"
        elif isinstance(f, models.BooleanField):
            expr = "false"
        elif isinstance(f, models.JSONField):
            expr = "'[]'::jsonb" if f.name == "evidence" else "'{}'::jsonb"
        elif isinstance(f, (models.IntegerField, models.DecimalField)):
            expr = "0"
        else:
            expr = "''"
        cols.append(connection.ops.quote_name(f.column))
        exprs.append(expr)
    sql = (f"INSERT INTO {model._meta.db_table} ({', '.join(cols)}) SELECT {', '.join(exprs)} "
           f"FROM generate_series(1, {n_sql}) AS g(i)")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.rowcount


def build(n: int) -> dict:
    from django.db import connection

    from wealthdesk.alerts.models import Alert, AlertRule
    from wealthdesk.alerts.rules import ensure_default_rules
    from wealthdesk.complaints.models import Complaint
    from wealthdesk.contacts.models import ContactRecord
    from wealthdesk.core.roles import Role
    from wealthdesk.corebanking.models import DailyBalance, Holding, ImportBatch, Product
    from wealthdesk.corebanking.partitions import ensure_partitions
    from wealthdesk.customers.models import Customer, TierHistory
    from wealthdesk.orgs.choices import UnitKind
    from wealthdesk.orgs.models import OrgUnit
    from wealthdesk.referrals.models import Referral
    from wealthdesk.staff.models import StaffRole, User
    from wealthdesk.voice.models import NeedsCard, NeedsQuestion

    t0 = time.perf_counter()
    hq = OrgUnit.objects.create(code="HO", name="总行", kind=UnitKind.HEAD_OFFICE)
    centers = []
    for b in range(10):
        branch = OrgUnit.objects.create(code=f"B{b}", name=f"分行{b}", kind=UnitKind.BRANCH1, parent=hq)
        for s in range(10):
            sub = OrgUnit.objects.create(code=f"S{b}{s}", name=f"支行{b}-{s}", kind=UnitKind.SUBBRANCH, parent=branch)
            for c in range(14 if (b * 10 + s) < 34 else 13):
                centers.append(OrgUnit.objects.create(code=f"C{b}{s}{c:02d}", name=f"理财中心{b}-{s}-{c}",
                                                      kind=UnitKind.CENTER, parent=sub))
    users = User.objects.bulk_create([User(username=f"cm{c.pk}_{k}", full_name=f"客户经理{c.pk}-{k}", unit=c,
                                           password="!") for c in centers for k in range(4)])
    StaffRole.objects.bulk_create([StaffRole(user=u, role=Role.CLIENT_MANAGER) for u in users])
    boss = User.objects.create(username="hq_bench", full_name="总行客服处", unit=hq, password="!")
    StaffRole.objects.create(user=boss, role=Role.HQ_SERVICE)
    nc = len(centers)
    center_arr = "ARRAY[" + ",".join(str(c.pk) for c in centers) + "]"
    cm_arr = "ARRAY[" + ",".join(str(u.pk) for u in users) + "]"
    org_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    tier = "(CASE WHEN i % 100 < 3 THEN 'private' WHEN i % 100 < 22 THEN 'core' WHEN i % 100 < 92 THEN 'premium' " \
           "ELSE 'ordinary' END)"
    aum = "(CASE WHEN i % 100 < 3 THEN 8000000 WHEN i % 100 < 22 THEN 2000000 WHEN i % 100 < 92 THEN 450000 " \
          "ELSE 80000 END + (i % 997) * 100)"
    # customer i sits with client manager (i % managers), whose center is manager // 4
    cm = f"({cm_arr})[(i % {len(users)}) + 1]"
    center = f"({center_arr})[((i % {len(users)}) / 4) + 1]"
    insert_select(Customer, str(n), {"id": "i", "cif_no": "'C' || lpad(i::text, 9, '0')", "name": "'客户'",
                                     "id_type": "'passport'", "id_number": "'P' || i", "id_number_bidx": "'P' || i",
                                     "tier": tier,
                                     "client_manager_id": cm, "center_id": center, "status": "'active'",
                                     "aum": aum, "aum_avg": aum, "version": "1"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('customers_customer', 'id'), %s)", [n])
    cust_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    ensure_partitions(BALANCE_DAYS[0], DAY)
    batch = ImportBatch.objects.create(kind="balances", file_name="bench.csv", content_hash="b" * 64, as_of=DAY)
    for k, day in enumerate(BALANCE_DAYS):
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {DailyBalance._meta.db_table} (customer_id, as_of, aum, batch_id) "
                           f"SELECT id, %s, aum * (0.9 + {k} * 0.03), %s FROM customers_customer", [day, batch.pk])
    bal_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    month_ts = f"(timestamp '{START} 09:00' + ((i % 26) || ' days')::interval) AT TIME ZONE 'Asia/Shanghai'"
    cust = f"(1 + (i::bigint * 7919) % {n})::int"
    cust_cm = f"({cm_arr})[({cust} % {len(users)}) + 1]"
    cust_center = f"({center_arr})[(({cust} % {len(users)}) / 4) + 1]"
    day_expr = f"(date '{START}' + (i % 26))"
    counts = {}
    counts["contacts"] = insert_select(ContactRecord, str(n // 2), {
        "customer_id": cust, "staff_id": cust_cm, "kind": "'phone'", "contacted_at": month_ts})
    ensure_default_rules(AlertRule)
    rule = AlertRule.objects.filter(kind="single_outflow").first()
    counts["alerts"] = insert_select(Alert, str(n // 50), {
        "kind": "'single_outflow'", "rule_id": str(rule.pk), "customer_id": cust, "center_id": cust_center,
        "assigned_to_id": cust_cm, "as_of": day_expr, "amount": "600000", "due_date": f"{day_expr} + 2",
        "status": "(CASE WHEN i % 3 = 0 THEN 'new' ELSE 'closed' END)",
        "closed_at": f"(CASE WHEN i % 3 = 0 THEN NULL ELSE {month_ts} END)", "version": "1",
        "close_reason": "(CASE WHEN i % 3 = 0 THEN '' ELSE 'other' END)"})
    counts["referrals"] = insert_select(Referral, str(n // 20), {
        "referrer_id": cust_cm, "referrer_position": "'client_manager'", "referrer_unit_id": cust_center,
        "center_id": cust_center, "customer_id": cust, "signal": "'large_deposit'", "assigned_to_id": cust_cm,
        "assignment_method": "'auto'", "status": "'new'", "referred_on": day_expr, "due_on": f"{day_expr} + 2",
        "converted_on": f"(CASE WHEN i % 4 = 0 THEN {day_expr} END)", "urgency": "'normal'",
        "needs_follow_up": "true", "version": "1"})
    counts["complaints"] = insert_select(Complaint, str(n // 100), {
        "center_id": cust_center, "channel": "'counter'", "category": "'waiting'", "customer_id": cust,
        "receiver_id": cust_cm, "received_on": day_expr, "owner_id": cust_cm, "due_on": f"{day_expr} + 15",
        "original_due_on": f"{day_expr} + 15", "status": "'open'", "content": "'排队'", "version": "1"})
    counts["tier_changes"] = insert_select(TierHistory, str(n // 20), {
        "customer_id": cust, "from_tier": "'premium'", "to_tier": "(CASE WHEN i % 2 = 0 THEN 'core' ELSE 'ordinary' END)",
        "changed_on": day_expr, "source": "'recompute'"})
    counts["needs_cards"] = insert_select(NeedsCard, str(n // 50), {
        "customer_id": cust, "center_id": cust_center, "client_manager_id": cust_cm, "card_date": day_expr})
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id) FROM voice_needscard")
        first_card = cursor.fetchone()[0]
    counts["needs_questions"] = insert_select(NeedsQuestion, str(n // 50), {
        "card_id": f"({first_card} + i - 1)", "center_id": cust_center, "asked_on": day_expr, "text": "'收益?'",
        "route": "'supervisor'", "target_unit_id": cust_center, "due_on": f"{day_expr} + 14",
        "status": "(CASE WHEN i % 2 = 0 THEN 'told' ELSE 'open' END)",
        "told_on": f"(CASE WHEN i % 2 = 0 THEN {day_expr} + 3 END)", "version": "1",
        "answer": "(CASE WHEN i % 2 = 0 THEN '已答复' ELSE '' END)"})
    product = Product.objects.create(code="WMP1", name="稳健理财", kind="wmp", risk_level="R2")
    counts["holdings"] = insert_select(Holding, str(n // 4), {
        "customer_id": cust, "product_id": str(product.pk), "account_no": "'6222' || i", "amount": "100000",
        "start_date": f"date '{START}' - 100", "maturity_date": f"date '{DAY}' + (i % 60)"})
    rest_s = time.perf_counter() - t0
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"centers": nc, "managers": len(users), "boss": boss, "hq": hq, "counts": counts,
            "times": {"org": org_s, "customers": cust_s, "balances": bal_s, "activity": rest_s}}


RAW_SQL = {
    "customers.tiers": """SELECT center_id, tier, count(*), sum(aum) FROM customers_customer
                          WHERE status <> 'closed' GROUP BY center_id, tier""",
    "customers.tier_changes": """SELECT c.center_id, h.from_tier, h.to_tier, count(*) FROM customers_tierhistory h
                          JOIN customers_customer c ON c.id = h.customer_id
                          WHERE h.changed_on BETWEEN %(s)s AND %(e)s AND h.from_tier <> ''
                          GROUP BY 1, 2, 3""",
    "dashboards.aum_change": """SELECT center_id, as_of, aum FROM dashboards_centerdayaum WHERE as_of = ANY(%(days)s)""",
    "alerts.alerts": """SELECT center_id, count(*) FILTER (WHERE kind = 'tier_downgrade'),
                          count(*) FILTER (WHERE kind <> 'tier_downgrade') FROM alerts_alert
                          WHERE as_of BETWEEN %(s)s AND %(e)s GROUP BY 1;
                        SELECT center_id, count(*), count(*) FILTER (WHERE status = 'closed'
                          AND (closed_at AT TIME ZONE 'Asia/Shanghai')::date <= due_date)
                          FROM alerts_alert WHERE due_date BETWEEN %(s)s AND %(e)s GROUP BY 1""",
    "alerts.maturities": """SELECT c.center_id, count(*), sum(h.amount) FROM corebanking_holding h
                          JOIN customers_customer c ON c.id = h.customer_id
                          WHERE h.maturity_date BETWEEN %(e)s::date + 1 AND %(e)s::date + 30 GROUP BY 1""",
    "contacts.coverage": """SELECT c.center_id, count(*), count(DISTINCT r.customer_id) FILTER (WHERE c.tier <> 'ordinary')
                          FROM contacts_contactrecord r JOIN customers_customer c ON c.id = r.customer_id
                          WHERE r.contacted_at >= %(s)s::timestamp AT TIME ZONE 'Asia/Shanghai'
                            AND r.contacted_at < (%(e)s::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'
                          GROUP BY 1""",
    "referrals.made": """SELECT center_id, count(*) FROM referrals_referral WHERE referred_on BETWEEN %(s)s AND %(e)s
                          GROUP BY 1;
                         SELECT center_id, count(*) FROM referrals_referral
                          WHERE converted_on BETWEEN %(s)s AND %(e)s GROUP BY 1""",
    "complaints.answered": """SELECT center_id, count(*) FROM complaints_complaint
                          WHERE received_on BETWEEN %(s)s AND %(e)s GROUP BY 1;
                        SELECT center_id, count(*), count(*) FILTER (WHERE closed_on <= due_on)
                          FROM complaints_complaint WHERE due_on BETWEEN %(s)s AND %(e)s GROUP BY 1""",
    "voice.needs": """SELECT center_id, count(*), count(*) FILTER (WHERE status = 'told' AND told_on <= due_on)
                          FROM voice_needsquestion WHERE due_on BETWEEN %(s)s AND %(e)s GROUP BY 1""",
}


# The same figures as raw SQL over the maintained summaries (what the dashboards read since issue 16).
RAW_SUMMARY_SQL = {
    "customers.tier_changes": """SELECT center_id, sum(n) FILTER (WHERE direction = 'up'),
                          sum(n) FILTER (WHERE direction = 'down') FROM customers_tierchangecount
                          WHERE day BETWEEN %(s)s AND %(e)s GROUP BY 1""",
    "alerts.maturities": """SELECT center_id, sum(n), sum(amount) FROM alerts_maturitycount
                          WHERE maturity_date BETWEEN %(e)s::date + 1 AND %(e)s::date + 30 GROUP BY 1""",
    "contacts.coverage": """SELECT center_id, sum(contacts), sum(first_contacts) FILTER (WHERE tier <> 'ordinary')
                          FROM contacts_contactcenterdaycount WHERE day BETWEEN %(s)s AND %(e)s GROUP BY 1""",
    "customers.tiers": """SELECT center_id, tier, sum(n), sum(aum) FROM customers_customercount
                          WHERE status <> 'closed' GROUP BY center_id, tier""",
}
LIVE = {"customers.tier_changes": ("wealthdesk.customers.unit_figures", "live_tier_changes"),
        "alerts.maturities": ("wealthdesk.alerts.unit_figures", "live_maturities"),
        "contacts.coverage": ("wealthdesk.contacts.unit_figures", "live_contact_figures")}


def raw_time(sql: str, params: dict) -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for statement in [s for s in sql.split(";") if s.strip()]:
            cursor.execute(statement, params)
            cursor.fetchall()
    return time.perf_counter() - started


def best(fn, repeat=3) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


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
        from django.db import connection

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrated in {time.perf_counter() - started:.1f} s", flush=True)
        data = build(args.customers)
        t = data["times"]
        print(f"built {data['centers']:,} centers, {data['managers']:,} client managers, {args.customers:,} customers "
              f"in {t['org'] + t['customers']:.1f} s; {len(BALANCE_DAYS) * args.customers:,} balances in "
              f"{t['balances']:.1f} s; activity {data['counts']} in {t['activity']:.1f} s", flush=True)

        from wealthdesk.core.summaries import rebuild

        started = time.perf_counter()
        built = rebuild()  # the data went in set-based, as seed_demo's does: the maintained summaries built once
        print(f"summaries rebuilt in {time.perf_counter() - started:.1f} s: {built}", flush=True)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

        from wealthdesk.core.registry import unit_figure_sources
        from wealthdesk.dashboards import selectors
        from wealthdesk.dashboards.summary import aum_days
        from wealthdesk.orgs.models import OrgUnit

        boss, hq = data["boss"], data["hq"]
        period = selectors.Period(START, DAY)
        started = time.perf_counter()
        selectors.dashboard(boss, hq, period)
        print(f"head-office dashboard, cold (the AUM summary of {len(aum_days(DAY).all())} days built on first read): "
              f"{time.perf_counter() - started:.2f} s", flush=True)
        warm = best(lambda: selectors.dashboard(boss, hq, period))
        print(f"head-office dashboard, warm: {warm:.3f} s (target < 1 s) — this month, previous month, last year; "
              f"{data['centers']:,} centers summed up 10 branches", flush=True)
        branch = OrgUnit.objects.get(code="B0")
        print(f"tier-1 branch dashboard, warm: {best(lambda: selectors.dashboard(boss, branch, period)):.3f} s")

        ids = OrgUnit.objects.filter(path__startswith=hq.path).values("pk")
        days = aum_days(DAY)
        params = {"s": START, "e": DAY, "days": days.all()}
        import importlib

        print(f"{'figure source':28} {'ORM (s)':>9} {'raw SQL (s)':>12} {'ratio':>6}   (raw SQL over the summary "
              f"where there is one; the live computation and its raw SQL after it)")
        for source in unit_figure_sources():
            orm = best(lambda s=source: s.compute(ids, START, DAY, by="center"))
            sql = RAW_SUMMARY_SQL.get(source.key) or RAW_SQL.get(source.key)
            raw = best(lambda sql=sql: raw_time(sql, params)) if sql else None
            ratio = f"{orm / raw:.2f}" if raw else "—"
            line = f"{source.key:28} {orm:9.3f} {raw if raw is not None else float('nan'):12.3f} {ratio:>6}"
            if source.key in LIVE:
                module, name = LIVE[source.key]
                live = getattr(importlib.import_module(module), name)
                live_s = best(lambda live=live: live(ids, START, DAY, by="center"), repeat=1)
                live_raw = best(lambda k=source.key: raw_time(RAW_SQL[k], params), repeat=1)
                assert live(ids, START, DAY, by="center") == source.compute(ids, START, DAY, by="center"), source.key
                line += f"   live {live_s:.3f} / raw {live_raw:.3f} (summary answer equal to the live one)"
            print(line, flush=True)
        from django.db import connection as conn
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(conn) as ctx:
            selectors.dashboard(boss, hq, period)
        print(f"head-office dashboard: {len(ctx.captured_queries)} queries", flush=True)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            psql(f"DROP DATABASE IF EXISTS {DB}")


if __name__ == "__main__":
    main()
