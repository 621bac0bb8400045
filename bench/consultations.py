"""Benchmark: the expert-consultation lists (R4) over many consultations, PostgreSQL.

    .venv/bin/python bench/consultations.py [--consultations 500000] [--keep]

Creates the throw-away database ``wealthdesk_bench_experts`` on 127.0.0.1:5432 (user postgres), migrates it,
builds the org tree (5 branches, 50 centers, 5 client managers each), 50,000 customers (bulk insert), a pool of
one expert per branch and one advisor at head office, then N consultations with one ``INSERT … SELECT
generate_series`` (spread over two years, every state, a share overdue), runs ANALYZE and times, each as the
median of 5 runs: head office's first list page and its count, a client manager's first page, the head-office
coordinator's overdue panel, a branch expert's desk (queue + own work) and the advisor's desk.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DB = "wealthdesk_bench_experts"
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"


def psql(sql: str, db: str = "postgres") -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-q", "-c", sql], check=True)


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wealthdesk.config.settings.base")
    import django

    django.setup()


def build(n: int) -> dict:
    import datetime as dt
    from decimal import Decimal

    from django.db import connection

    from wealthdesk.core.roles import Role
    from wealthdesk.customers.models import Customer
    from wealthdesk.experts.models import PoolMember
    from wealthdesk.orgs.choices import UnitKind
    from wealthdesk.orgs.models import OrgUnit
    from wealthdesk.staff.models import StaffRole, User

    hq = OrgUnit.objects.create(code="HO", name="总行", kind=UnitKind.HEAD_OFFICE)
    users = {"hq": User.objects.create(username="hq_service", unit=hq)}
    StaffRole.objects.create(user=users["hq"], role=Role.HQ_SERVICE)
    managers, experts = [], []
    for b in range(5):
        branch = OrgUnit.objects.create(code=f"B{b}", name=f"分行{b}", kind=UnitKind.BRANCH1, parent=hq)
        sub = OrgUnit.objects.create(code=f"S{b}", name=f"支行{b}", kind=UnitKind.SUBBRANCH, parent=branch)
        expert = User.objects.create(username=f"expert_{b}", unit=branch)
        StaffRole.objects.create(user=expert, role=Role.FINANCIAL_EXPERT)
        experts.append(PoolMember.objects.create(user=expert, kind="expert", unit=branch, level="branch",
                                                 specialties=["funds"]))
        for c in range(10):
            center = OrgUnit.objects.create(code=f"C{b}{c}", name=f"中心{b}-{c}", kind=UnitKind.CENTER, parent=sub)
            for m in range(5):
                user = User.objects.create(username=f"cm_{b}_{c}_{m}", unit=center)
                StaffRole.objects.create(user=user, role=Role.CLIENT_MANAGER)
                managers.append((user, center))
    advisor = User.objects.create(username="advisor", unit=hq)
    StaffRole.objects.create(user=advisor, role=Role.FINANCIAL_ADVISOR)
    advisor_member = PoolMember.objects.create(user=advisor, kind="advisor", unit=hq, level="head_office",
                                               company="基金公司", specialties=["funds"],
                                               engagement_ends_on=dt.date(2099, 1, 1))
    customers = [Customer(cif_no=f"B{i:09d}", name=f"客户{i}", id_number=f"B{i:017d}",
                          center=center, client_manager=cm, tier="core", aum=Decimal("1500000"))
                 for i, (cm, center) in enumerate(managers[i % len(managers)] for i in range(50_000))]
    Customer.objects.bulk_create(customers, batch_size=5000)
    with connection.cursor() as cur:
        cur.execute("""
            INSERT INTO experts_consultation (created_at, updated_at, version, customer_id, center_id, asked_by_id,
                question, specialty, urgency, level, queue_unit_id, requested_expert_id, summary, status, asked_on,
                due_on, expert_id, answer, usage, usage_note, rating_comment)
            SELECT now(), now(), 1, c.id, c.center_id, c.client_manager_id, '问题', 'funds', 'normal',
                   CASE WHEN mod(g, 10) = 0 THEN 'head_office' ELSE 'branch' END,
                   CASE WHEN mod(g, 10) = 0 THEN %(hq)s ELSE br.id END,
                   CASE WHEN mod(g, 10) = 0 THEN %(adv)s END,
                   '{"tier": "core"}'::jsonb,
                   (ARRAY['queued','taken','asked_back','answered','closed','closed','closed','closed'])[1 + mod(g, 8)],
                   current_date - mod(g, 730), current_date - mod(g, 730) + 7,
                   CASE WHEN mod(g, 8) = 0 THEN NULL WHEN mod(g, 10) = 0 THEN %(adv)s ELSE pm.id END,
                   '', '', '', ''
            FROM generate_series(1, %(n)s) g
            JOIN customers_customer c ON c.id = (SELECT min(id) FROM customers_customer) + mod(g, 50000)
            JOIN orgs_orgunit cu ON cu.id = c.center_id
            JOIN orgs_orgunit br ON br.path = substr(cu.path, 1, 14)
            JOIN experts_poolmember pm ON pm.unit_id = br.id
        """, {"n": n, "hq": hq.pk, "adv": advisor_member.pk})
        cur.execute("ANALYZE")
    return {"hq": users["hq"], "cm": managers[0][0], "expert": experts[0].user, "advisor": advisor}


def timed(label: str, fn) -> None:
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    print(f"{label:<45} {statistics.median(runs):8.1f} ms")


def fresh(user):
    from wealthdesk.staff.models import User

    return User.objects.get(pk=user.pk)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--consultations", type=int, default=500_000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    psql(f"DROP DATABASE IF EXISTS {DB}")
    psql(f"CREATE DATABASE {DB}")
    try:
        setup_django()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        users = build(args.consultations)
        print(f"built {args.consultations:,} consultations in {time.perf_counter() - started:.1f} s")
        from wealthdesk.experts import selectors

        timed("head office: first list page (30 rows)", lambda: list(selectors.consultation_list(fresh(users["hq"]))[:30]))
        timed("head office: list count", lambda: selectors.consultation_list(fresh(users["hq"])).count())
        timed("client manager: first list page", lambda: list(selectors.consultation_list(fresh(users["cm"]))[:30]))
        timed("head office coordinator: overdue panel", lambda: list(selectors.overdue_at_my_level(fresh(users["hq"]))[:8]))
        timed("branch expert: desk (queue + own)", lambda: selectors.my_work(fresh(users["expert"])))
        timed("advisor: desk", lambda: selectors.my_work(fresh(users["advisor"])))
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            psql(f"DROP DATABASE IF EXISTS {DB}")


if __name__ == "__main__":
    main()
