"""Benchmark: the six semiannual analyses (R36) for one branch, against the raw SQL of each one's main figures.

    .venv/bin/python bench/analyses.py [--customers 300000] [--keep]

Creates the throw-away database ``wealthdesk_bench_analyses`` on 127.0.0.1:5432 (user postgres), migrates it and
builds set-based (INSERT … SELECT generate_series): one branch with 5 sub-branches × 10 centers × 5 client
managers, N customers with birth dates, risk levels and tiers, their balance on the half-year's last day,
about two holdings each (15 products, R1–R5), about two transactions each in the half-year (six channels),
the initial grading of every premium customer before the half-year and a tier change for one in ten during it.
The half-year analysed is a closed one (2026H1), so the tier at its start and end comes from the history.
Then each analysis is timed as the branch's service desk sees it (target < 10 s each) next to hand-written SQL
for its main figures: first with the tier at a past date read by one correlated lookup per row (``--skip-lookup``
skips this pass), then with the half-year's boundary tiers taken set-based once (``analyses.tiers``) and joined;
last the background job that computes and stores each analysis, and the stored snapshot's read (the page's
work, ``--reads`` times: median and p95).
"""
import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DB = "wealthdesk_bench_analyses"
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"


def psql(sql: str, db: str = "postgres") -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-q", "-c", sql], check=True)


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wealthdesk.config.settings.base")
    import django

    django.setup()


def build(n: int):
    import datetime as dt

    from django.db import connection

    from wealthdesk.core.roles import Role
    from wealthdesk.corebanking.models import Product
    from wealthdesk.corebanking.partitions import ensure_partitions
    from wealthdesk.orgs.choices import UnitKind
    from wealthdesk.orgs.models import OrgUnit
    from wealthdesk.staff.models import StaffRole, User

    hq = OrgUnit.objects.create(code="HO", name="总行", kind=UnitKind.HEAD_OFFICE)
    branch = OrgUnit.objects.create(code="B1", name="分行", kind=UnitKind.BRANCH1, parent=hq)
    desk = User.objects.create(username="branch_desk", full_name="分行服务科", unit=branch)
    StaffRole.objects.create(user=desk, role=Role.BRANCH_SERVICE)
    for s in range(5):
        sub = OrgUnit.objects.create(code=f"S{s}", name=f"支行{s}", kind=UnitKind.SUBBRANCH, parent=branch)
        for c in range(10):
            center = OrgUnit.objects.create(code=f"C{s}{c}", name=f"理财中心{s}-{c}", kind=UnitKind.CENTER, parent=sub)
            for m in range(5):
                user = User.objects.create(username=f"cm_{s}_{c}_{m}", full_name=f"客户经理{s}{c}{m}", unit=center)
                StaffRole.objects.create(user=user, role=Role.CLIENT_MANAGER)
    kinds = ["deposit_time", "wmp", "wmp", "wmp", "fund", "fund", "fund", "insurance", "metal", "bond", "third_party",
             "wmp", "fund", "deposit_time", "insurance"]
    for i, kind in enumerate(kinds):
        Product.objects.create(code=f"P{i:02d}", name=f"产品{i}", kind=kind,
                               risk_level="" if kind == "deposit_time" else f"R{1 + i % 5}")
    ensure_partitions(dt.date(2026, 6, 1), dt.date(2026, 6, 30))
    sql = [
        # customers: tier by AUM, risk C1–C5 (one in 20 unassessed), ages 20–80, a client manager each
        f"""INSERT INTO customers_customer (cif_no, name, gender, birth_date, id_type, id_number, id_number_bidx, mobile, address,
            occupation, tier, risk_level, client_manager_id, center_id, status, aum, aum_avg, created_at, updated_at,
            version)
            SELECT 'C' || lpad(g::text, 9, '0'), '客户' || g, '', DATE '1946-01-01' + (g::bigint * 7919 % 21900)::int,
              'passport', '', md5('P' || g), '', '', '', t.tier, CASE WHEN g % 20 = 0 THEN '' ELSE 'C' || (1 + g % 5) END,
              u.id, u.unit_id, 'active', t.aum, t.aum, now(), now(), 1
            FROM generate_series(1, {n}) g
            CROSS JOIN LATERAL (SELECT (ARRAY[8000000, 2000000, 450000, 450000, 450000, 80000, 80000])[1 + g % 7]
                                       * (0.6 + (g % 97) / 100.0) AS aum) a
            CROSS JOIN LATERAL (SELECT a.aum, CASE WHEN a.aum >= 6000000 THEN 'private' WHEN a.aum >= 1000000
                                THEN 'core' WHEN a.aum >= 200000 THEN 'premium' ELSE 'ordinary' END AS tier) t
            JOIN (SELECT id, unit_id, row_number() OVER (ORDER BY id) - 1 AS k FROM staff_user
                  WHERE username LIKE 'cm\\_%%') u ON u.k = g % 250""",
        """INSERT INTO corebanking_dailybalance (customer_id, as_of, aum)
           SELECT id, DATE '2026-06-30', aum FROM customers_customer""",
        """INSERT INTO corebanking_holding (created_at, updated_at, customer_id, product_id, account_no, amount,
             start_date, maturity_date)
           SELECT now(), now(), c.id, p.id, 'A' || c.id || '-' || k, round(c.aum * 0.2, 2), DATE '2026-01-01',
             CASE WHEN k = 2 THEN DATE '2026-12-31' END
           FROM customers_customer c CROSS JOIN generate_series(1, 2) k
           JOIN (SELECT id, row_number() OVER (ORDER BY code) - 1 AS r FROM corebanking_product) p
             ON p.r = (c.id * 7 + k * 3) % 15""",
        """INSERT INTO corebanking_transaction (external_id, customer_id, account_no, occurred_at, amount, direction,
             channel, counterparty_kind, product_id)
           SELECT 'X' || c.id || '-' || k, c.id, 'A', TIMESTAMPTZ '2026-01-01 09:00+08' + ((c.id * 31 + k * 17) % 180)
             * INTERVAL '1 day', 1000, CASE WHEN k = 1 THEN 'out' ELSE 'in' END,
             (ARRAY['counter', 'atm', 'online', 'mobile', 'mobile', 'phone', 'third_party'])[1 + (c.id + k) % 7],
             'own_bank', CASE WHEN k = 1 AND c.id % 3 = 0 THEN (SELECT min(id) FROM corebanking_product) END
           FROM customers_customer c CROSS JOIN generate_series(1, 2) k""",
        """INSERT INTO customers_tierhistory (customer_id, from_tier, to_tier, changed_on, source, reason, created_at)
           SELECT id, '', tier, DATE '2025-06-01', 'import', '', now() FROM customers_customer
           WHERE tier <> 'ordinary'""",
        """INSERT INTO customers_tierhistory (customer_id, from_tier, to_tier, changed_on, source, reason, created_at)
           SELECT id, tier, CASE tier WHEN 'private' THEN 'core' WHEN 'core' THEN 'premium' ELSE 'ordinary' END,
             DATE '2026-03-15', 'recompute', '', now() FROM customers_customer
           WHERE tier <> 'ordinary' AND id % 10 = 0""",
        "ANALYZE",
    ]
    with connection.cursor() as cursor:
        for statement in sql:
            started = time.perf_counter()
            cursor.execute(statement)
            print(f"  {statement.split()[2] if statement != 'ANALYZE' else 'ANALYZE'}: {cursor.rowcount:,} rows, "
                  f"{time.perf_counter() - started:.1f} s", flush=True)
    return branch, desk


TIER_AT = """COALESCE((SELECT h.from_tier FROM customers_tierhistory h
  WHERE h.customer_id = c.id AND h.changed_on > %(d)s ORDER BY h.changed_on, h.id LIMIT 1), c.tier)"""
SUBTREE = """FROM customers_customer c JOIN orgs_orgunit o ON o.id = c.center_id
  WHERE o.path LIKE %(path)s AND c.status <> 'closed'"""
HELD = """FROM corebanking_holding h JOIN customers_customer c ON c.id = h.customer_id
  JOIN orgs_orgunit o ON o.id = c.center_id JOIN corebanking_product p ON p.id = h.product_id
  WHERE o.path LIKE %(path)s AND c.status <> 'closed' AND h.start_date <= %(end)s AND h.amount > 0
  AND (h.maturity_date IS NULL OR h.maturity_date >= %(end)s)"""
RAW = {
    "contribution": [
        """SELECT sum(aum) FILTER (WHERE rn <= ceil(n * 0.01)) / max(t), sum(aum) FILTER (WHERE rn <= ceil(n * 0.05))
            / max(t), sum(aum) FILTER (WHERE rn <= ceil(n * 0.2)) / max(t) FROM (SELECT b.aum, row_number() OVER
            (ORDER BY b.aum DESC) rn, count(*) OVER () n, sum(b.aum) OVER () t FROM corebanking_dailybalance b
            JOIN customers_customer c ON c.id = b.customer_id JOIN orgs_orgunit o ON o.id = c.center_id
            WHERE o.path LIKE %(path)s AND c.status <> 'closed' AND b.as_of = %(end)s) x""",
        f"""SELECT t, count(*), sum(aum) FROM (SELECT {TIER_AT.replace('%(d)s', '%(end)s')} t, b.aum
            FROM corebanking_dailybalance b JOIN customers_customer c ON c.id = b.customer_id
            JOIN orgs_orgunit o ON o.id = c.center_id WHERE o.path LIKE %(path)s AND c.status <> 'closed'
            AND b.as_of = %(end)s) x GROUP BY t""",
        """SELECT c.client_manager_id, count(*), sum(b.aum) FROM corebanking_dailybalance b JOIN customers_customer c
            ON c.id = b.customer_id JOIN orgs_orgunit o ON o.id = c.center_id WHERE o.path LIKE %(path)s
            AND c.status <> 'closed' AND b.as_of = %(end)s GROUP BY 1 ORDER BY 3 DESC""",
    ],
    "products": [f"SELECT p.kind, count(DISTINCT h.customer_id), count(*), sum(h.amount) {HELD} GROUP BY p.kind",
                 f"SELECT count(*) FROM (SELECT DISTINCT h.customer_id, h.product_id {HELD}) x",
                 f"SELECT count(*) {SUBTREE}",
                 f"SELECT t, count(*) FROM (SELECT {TIER_AT.replace('%(d)s', '%(end)s')} t {SUBTREE}) x GROUP BY 1",
                 f"""SELECT t, kind, count(DISTINCT customer_id) FROM (SELECT {TIER_AT.replace('%(d)s', '%(end)s')} t,
                     p.kind, h.customer_id {HELD}) x GROUP BY 1, 2""",
                 f"""SELECT t, product_id, count(DISTINCT customer_id) FROM (SELECT {TIER_AT.replace('%(d)s', '%(end)s')}
                     t, h.product_id, h.customer_id {HELD}) x GROUP BY 1, 2"""],
    "channels": ["""SELECT date_trunc('month', t.occurred_at AT TIME ZONE 'Asia/Shanghai'), t.channel, count(*),
                    sum(t.amount) FROM corebanking_transaction t JOIN customers_customer c ON c.id = t.customer_id
                    JOIN orgs_orgunit o ON o.id = c.center_id WHERE o.path LIKE %(path)s AND c.status <> 'closed'
                    AND t.occurred_at >= %(start)s AND t.occurred_at < %(next)s GROUP BY 1, 2""",
                 f"""SELECT tier, channel, count(*) FROM (SELECT {TIER_AT.replace('%(d)s', '%(end)s')} tier, t.channel
                    FROM corebanking_transaction t JOIN customers_customer c ON c.id = t.customer_id
                    JOIN orgs_orgunit o ON o.id = c.center_id WHERE o.path LIKE %(path)s AND c.status <> 'closed'
                    AND t.occurred_at >= %(start)s AND t.occurred_at < %(next)s) x GROUP BY 1, 2"""],
    "investment": [f"""SELECT t, kind, sum(amount) FROM (SELECT {TIER_AT.replace('%(d)s', '%(end)s')} t, p.kind,
                      h.amount {HELD}) x GROUP BY 1, 2"""],
    "groups": [f"""SELECT t0, t1, count(*) FROM (SELECT {TIER_AT.replace('%(d)s', '%(before)s')} t0,
                  {TIER_AT.replace('%(d)s', '%(end)s')} t1 {SUBTREE}) x GROUP BY 1, 2"""],
    "risk": [f"SELECT c.risk_level, p.risk_level, count(*), sum(h.amount) {HELD} GROUP BY 1, 2",
             f"""SELECT count(*) {HELD} AND p.risk_level <> '' AND (c.risk_level = '' OR
                 substr(p.risk_level, 2)::int > substr(c.risk_level, 2)::int)"""],
}


ORG_JOIN = "JOIN orgs_orgunit o ON o.id = c.center_id"


def joined(statement: str) -> str:
    """The same statement with the tier at a past date joined from the boundary rows (``analyses_tieratday``,
    taken once per half-year boundary) instead of one correlated lookup per row."""
    joins = []
    for alias, param in (("te", "end"), ("tb", "before")):
        lookup = TIER_AT.replace("%(d)s", f"%({param})s")
        if lookup in statement:
            statement = statement.replace(lookup, f"COALESCE({alias}.tier, c.tier)")
            joins.append(f"LEFT JOIN analyses_tieratday {alias} ON {alias}.customer_id = c.id "
                         f"AND {alias}.day = %({param})s")
    return statement.replace(ORG_JOIN, " ".join([ORG_JOIN, *joins])) if joins else statement


def raw(kind: str, params: dict, *, join: bool = False) -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for statement in (joined(s) for s in RAW[kind]) if join else RAW[kind]:
            cursor.execute(statement, params)
            cursor.fetchall()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=300_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--skip-lookup", action="store_true",
                        help="skip the first pass (the tier read by one correlated lookup per row)")
    parser.add_argument("--reads", type=int, default=50, help="stored-snapshot reads timed per analysis")
    args = parser.parse_args()
    psql(f"DROP DATABASE IF EXISTS {DB}")
    psql(f"CREATE DATABASE {DB}")
    try:
        setup_django()
        import datetime as dt

        from django.core.management import call_command
        from django.db import transaction
        from django.utils import timezone

        from wealthdesk.analyses import selectors
        from wealthdesk.analyses.periods import parse_half

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrated in {time.perf_counter() - started:.1f} s", flush=True)
        with transaction.atomic():
            branch, desk = build(args.customers)
        period = parse_half("2026H1", today=timezone.localdate())
        tz = timezone.get_current_timezone()
        params = {"path": branch.path + "%", "end": period.end, "before": period.before_start,
                  "start": dt.datetime.combine(period.start, dt.time.min, tzinfo=tz),
                  "next": dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)}
        print(f"{args.customers:,} customers in one branch (50 centers), half-year {period.label}:")
        if not args.skip_lookup:
            print("before — the tier at a past date by one correlated lookup per row:")
            for kind in selectors.COMPUTE:
                started = time.perf_counter()
                result = selectors.analysis(desk, kind, branch, period)
                page = time.perf_counter() - started
                sql = raw(kind, params)
                print(f"  {kind:<13} analysis {page:6.2f} s   raw SQL of its main figures {sql:6.2f} s"
                      f"   ratio {page / sql if sql else 0:4.1f}   {'empty: ' + result.empty if result.empty else ''}",
                      flush=True)
        from wealthdesk.analyses import services
        from wealthdesk.analyses.tiers import tier_day_take

        for day in (period.before_start, period.end):
            started = time.perf_counter()
            mark = tier_day_take(day)
            print(f"tiers at {day} taken set-based: {mark.customers:,} customers in "
                  f"{time.perf_counter() - started:.2f} s (once per half-year boundary, for every unit)", flush=True)
        print("after — the boundary tiers joined once:")
        for kind in selectors.COMPUTE:
            started = time.perf_counter()
            result = selectors.analysis(desk, kind, branch, period)
            page = time.perf_counter() - started
            sql = raw(kind, params, join=True)
            print(f"  {kind:<13} analysis {page:6.2f} s   raw SQL (joined) {sql:6.2f} s"
                  f"   ratio {page / sql if sql else 0:4.1f}   {'empty: ' + result.empty if result.empty else ''}",
                  flush=True)
        print("stored snapshots — the job (compute + store) once, then the page's read of the stored figures:")
        for kind in selectors.COMPUTE:
            started = time.perf_counter()
            services.snapshot_request(actor=desk, kind=kind, unit=branch, period=period)
            job = time.perf_counter() - started
            reads = []
            for _ in range(args.reads):
                started = time.perf_counter()
                snap = services.snapshot_read(desk, kind, branch, period)
                selectors.stored_result(desk, snap, branch, period).display_figures()
                reads.append(time.perf_counter() - started)
            reads.sort()
            p95 = reads[max(0, int(len(reads) * 0.95) - 1)]
            print(f"  {kind:<13} job {job:6.2f} s   stored read median {1000 * reads[len(reads) // 2]:6.1f} ms"
                  f"   p95 {1000 * p95:6.1f} ms (target ≤ 150 ms)   {len(snap.result and str(snap.result)):,} chars",
                  flush=True)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            psql(f"DROP DATABASE IF EXISTS {DB}")


if __name__ == "__main__":
    main()
