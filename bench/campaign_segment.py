"""Benchmark: resolving a campaign segment (R25) over 1,000,000 customers of one center, PostgreSQL.

    .venv/bin/python bench/campaign_segment.py [--customers 1000000] [--keep]

Creates the throw-away database ``wealthdesk_bench_campaigns`` on 127.0.0.1:5432 (user postgres), migrates it,
builds set-based (``INSERT … SELECT generate_series``): one center with its head and 20 client managers, N
customers (tiers, AUM, risk levels, birth dates spread), N/2 holdings (wealth products, funds, time deposits with
maturities over the year) and N/2 contact records, runs ANALYZE, then times the segment resolution the way the
pages do it (``selectors.segment_customers(head, segment)`` — ``Customer.objects.visible_to(head)`` restricted to
the center, EXISTS sub-queries for products, maturities and the last contact): the count shown on the plan, and
the id/manager/AUM rows the old start turned into the call list in Python. Target: < 2 s. Then VACUUM ANALYZE
(what autovacuum gives a live database) and the two-anti-join case again with its plan, and last the call list
as ``campaign_start`` builds it now, set-based in the database (rolled back). Prints each figure.
"""
import argparse
import datetime as dt
import os
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DB = "wealthdesk_bench_campaigns"
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
TODAY = dt.date(2026, 11, 27)


def psql(sql: str, db: str = "postgres") -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-q", "-c", sql], check=True)


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wealthdesk.config.settings.base")
    import django

    django.setup()


def build(n: int):
    from django.db import connection

    from wealthdesk.core.roles import Role
    from wealthdesk.corebanking.models import Product
    from wealthdesk.orgs.choices import UnitKind
    from wealthdesk.orgs.models import OrgUnit
    from wealthdesk.staff.models import StaffRole, User

    hq = OrgUnit.objects.create(code="HO", name="总行", kind=UnitKind.HEAD_OFFICE)
    branch = OrgUnit.objects.create(code="B1", name="分行", kind=UnitKind.BRANCH1, parent=hq)
    sub = OrgUnit.objects.create(code="S1", name="支行", kind=UnitKind.SUBBRANCH, parent=branch)
    center = OrgUnit.objects.create(code="C1", name="理财中心", kind=UnitKind.CENTER, parent=sub)
    head = User.objects.create(username="head", full_name="负责人", unit=center)
    StaffRole.objects.create(user=head, role=Role.CENTER_HEAD)
    cms = []
    for i in range(20):
        u = User.objects.create(username=f"cm{i}", full_name=f"客户经理{i}", unit=center)
        StaffRole.objects.create(user=u, role=Role.CLIENT_MANAGER)
        cms.append(u.pk)
    products = [Product.objects.create(code=f"P{k}", name=k, kind=k).pk
                for k in ("wmp", "fund", "deposit_time", "insurance")]
    cm_array = "ARRAY[" + ",".join(map(str, cms)) + "]"
    p_array = "ARRAY[" + ",".join(map(str, products)) + "]"
    timings = {}
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(f"""
            INSERT INTO customers_customer (cif_no, name, gender, birth_date, id_type, id_number, id_number_bidx, mobile, address,
                occupation, tier, risk_level, client_manager_id, center_id, status, aum, aum_avg, aum_as_of, version,
                created_at, updated_at)
            SELECT 'B' || lpad(g::text, 11, '0'), '客户' || g, 'M', DATE '1940-01-01' + (g % 25000)::int,
                   'id_card', '', md5('BID' || g), '', '', '',
                   (ARRAY['private','core','premium','premium','premium','ordinary','ordinary','ordinary'])[1 + g % 8],
                   (ARRAY['C1','C2','C3','C4','C5'])[1 + g % 5], ({cm_array})[1 + g % 20], {center.pk}, 'active',
                   (g % 5000) * 1000.00, (g % 5000) * 1000.00, DATE '{TODAY}', 1, now(), now()
            FROM generate_series(1, {n}) AS g""")
        timings["customers"] = time.perf_counter() - started
        started = time.perf_counter()
        cursor.execute(f"""
            INSERT INTO corebanking_holding (customer_id, product_id, account_no, amount, start_date, maturity_date,
                created_at, updated_at)
            SELECT c.id, ({p_array})[1 + c.id % 4], 'A' || c.id, 50000 + (c.id % 100) * 1000,
                   DATE '2026-01-01' + (c.id % 300)::int, DATE '2026-06-01' + (c.id % 365)::int, now(), now()
            FROM customers_customer c WHERE c.id % 2 = 0""")
        timings["holdings"] = time.perf_counter() - started
        started = time.perf_counter()
        cursor.execute(f"""
            INSERT INTO contacts_contactrecord (customer_id, staff_id, kind, contacted_at, place, purpose, content,
                response, next_step, source, created_at, updated_at)
            SELECT c.id, c.client_manager_id, 'phone', TIMESTAMPTZ '{TODAY} 10:00+08' - (c.id % 200)::int * INTERVAL '1 day',
                   '', '', '', '', '', '', now(), now()
            FROM customers_customer c WHERE c.id % 2 = 1""")
        timings["contacts"] = time.perf_counter() - started
        cursor.execute("ANALYZE")
    return head, center, timings


class Rollback(Exception):
    pass


def start_campaign(head, center, seg) -> tuple[float, int]:
    """Time ``campaign_start`` on an approved campaign of ``seg`` (everything rolled back afterwards)."""
    from django.db import transaction

    from wealthdesk.campaigns import services
    from wealthdesk.campaigns.models import Campaign, CampaignMember

    elapsed, members = 0.0, 0
    try:
        with transaction.atomic():
            seg.pk = None
            seg.save()
            campaign = Campaign.objects.create(
                center=center, scale="small", theme="bench", content="bench", segment=seg, goal_reached=1,
                goal_conversions=1, goal_aum=0, budget=0, starts_on=TODAY, ends_on=TODAY, status="approved")
            started = time.perf_counter()
            services.campaign_start(actor=head, campaign=campaign)
            elapsed = time.perf_counter() - started
            members = CampaignMember.objects.filter(campaign=campaign).count()
            raise Rollback
    except Rollback:
        pass
    return elapsed, members


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="time again on a database kept by --keep")
    args = parser.parse_args()
    if not args.reuse:
        psql(f"DROP DATABASE IF EXISTS {DB}")
        psql(f"CREATE DATABASE {DB}")
    try:
        setup_django()
        from django.core.management import call_command

        from wealthdesk.campaigns import selectors
        from wealthdesk.campaigns.models import Segment

        if args.reuse:
            from wealthdesk.orgs.models import OrgUnit
            from wealthdesk.staff.models import User

            head, center = User.objects.get(username="head"), OrgUnit.objects.get(code="C1")
        else:
            started = time.perf_counter()
            call_command("migrate", verbosity=0)
            print(f"migrated in {time.perf_counter() - started:.1f} s", flush=True)
            head, center, t = build(args.customers)
            print(f"built {args.customers:,} customers in {t['customers']:.1f} s, {args.customers // 2:,} holdings "
                  f"in {t['holdings']:.1f} s, {args.customers // 2:,} contacts in {t['contacts']:.1f} s "
                  f"(INSERT … SELECT)", flush=True)
        cases = {
            "whole center (no criteria)": Segment(center=center, name="all"),
            "premium+core, AUM 500k–3m, risk C2–C4": Segment(
                center=center, name="a", tiers=["premium", "core"], aum_min=Decimal("500000"),
                aum_max=Decimal("3000000"), risk_levels=["C2", "C3", "C4"]),
            "holds a WMP maturing Dec–Jan, age 35–60": Segment(
                center=center, name="b", product_kind="wmp", product_held="held", maturity_from=dt.date(2026, 12, 1),
                maturity_to=dt.date(2027, 1, 31), age_min=35, age_max=60),
            "no fund held, last contact before 2026-08-01": Segment(
                center=center, name="c", tiers=["premium", "core", "private"], product_kind="fund",
                product_held="not_held", last_contact_before=dt.date(2026, 8, 1)),
        }
        for label, seg in cases.items():
            started = time.perf_counter()
            size = selectors.segment_customers(head, seg, today=TODAY).count()
            counted = time.perf_counter() - started
            started = time.perf_counter()
            rows = list(selectors.segment_customers(head, seg, today=TODAY)
                        .values_list("pk", "client_manager_id", "aum"))
            listed = time.perf_counter() - started
            print(f"segment {label}: {size:,} customers — count {counted:.2f} s, call-list rows {listed:.2f} s "
                  f"({len(rows):,}) (target < 2 s)", flush=True)
        anti = cases["no fund held, last contact before 2026-08-01"]
        qs = selectors.segment_customers(head, anti, today=TODAY)
        if not args.reuse:
            started = time.perf_counter()
            psql("VACUUM ANALYZE", DB)
            print(f"VACUUM ANALYZE in {time.perf_counter() - started:.1f} s (what autovacuum keeps: the visibility "
                  f"map lets the NOT EXISTS probes read the indexes only)", flush=True)
        for _ in range(2):
            started = time.perf_counter()
            size = qs.count()
            print(f"two anti-joins after VACUUM: {size:,} customers — count {time.perf_counter() - started:.2f} s",
                  flush=True)
        print(qs.only("pk").explain(analyze=True, buffers=True), flush=True)
        print("call list built set-based (campaign_start: INSERT … SELECT, holdout by one UPDATE; rolled back):")
        for label, seg in cases.items():
            elapsed, members = start_campaign(head, center, seg)
            print(f"  {label}: {members:,} members in {elapsed:.2f} s", flush=True)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep and not args.reuse:
            psql(f"DROP DATABASE IF EXISTS {DB}")


if __name__ == "__main__":
    main()
