"""Benchmark: the list pages and API lists at bank size (issue 16) — keyset pages, counts, scope plans.

    .venv/bin/python bench/lists.py build [--customers 1000000]   # creates and fills wd_lists_bench (kept)
    .venv/bin/python bench/lists.py plans [--runs 3]               # EXPLAIN ANALYZE of every list query
    .venv/bin/python bench/lists.py drop

``build`` makes the throw-away database ``wd_lists_bench`` with ``bench/dashboard.py``'s generator (head office →
10 branches → 100 sub-branches → 1,334 centers, 4 client managers each, N customers, 4 days of balances, a
month of contacts, alerts, referrals…), plus the personas of the list pages: a center head, a team lead with a
team of the center's client managers, a branch service section and the head-office service division.
``plans`` prints, per persona and list, PostgreSQL's execution time (median of ``--runs``) and the plan's scans
for the first page, a deep page (keyset: the same seek as the first) and the count the page shows.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import _pg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
DB = "wd_lists_bench"
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
psql = _pg.psql


def setup_django():
    _pg.setup_django(URL)


def add_personas(hq) -> None:
    from wealthdesk.core.roles import Role
    from wealthdesk.orgs.models import OrgUnit
    from wealthdesk.staff.models import StaffRole, Team, User

    center = OrgUnit.objects.filter(kind="center").order_by("path").first()
    branch = OrgUnit.objects.get(code="B0")
    head = User.objects.create(username="bench_head", full_name="中心负责人", unit=center, password="!")
    StaffRole.objects.create(user=head, role=Role.CENTER_HEAD)
    lead = User.objects.create(username="bench_lead", full_name="组长", unit=center, password="!")
    StaffRole.objects.create(user=lead, role=Role.TEAM_LEAD)
    team = Team.objects.create(name="一组", unit=center, lead=lead)
    User.objects.filter(unit=center).update(team=team)
    branch_user = User.objects.create(username="bench_branch", full_name="分行客服科", unit=branch, password="!")
    StaffRole.objects.create(user=branch_user, role=Role.BRANCH_SERVICE)


NAMES_SQL = """UPDATE customers_customer SET name =
    (ARRAY['张','王','李','赵','刘','陈','杨','黄','周','吴','徐','孙','马','朱','胡','郭','何','林','罗','高'])[1 + id % 20]
 || (ARRAY['伟','芳','娜','敏','静','丽','强','磊','军','洋','勇','艳','杰','娟','涛','明','超','秀','霞','平'])[1 + (id / 20) % 20]
 || CASE WHEN id % 3 = 0 THEN '' ELSE (ARRAY['东','华','国','建','文','英','玉','兰','春','海'])[1 + (id / 400) % 10] END"""


def build(n: int) -> None:
    import time

    psql(f"DROP DATABASE IF EXISTS {DB}")
    psql(f"CREATE DATABASE {DB}")
    setup_django()
    import dashboard
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    data = dashboard.build(n)
    add_personas(data["hq"])
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(NAMES_SQL)  # Chinese names (the generator writes one name for all): the name search
        cursor.execute("ANALYZE")
    print(f"built {n:,} customers, {data['counts']} in {time.perf_counter() - started:.1f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["build", "plans", "drop"])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.action == "build":
        build(args.customers)
    elif args.action == "drop":
        psql(f"DROP DATABASE IF EXISTS {DB}")
    else:
        setup_django()
        import lists_plans

        lists_plans.run(args.runs)


if __name__ == "__main__":
    main()
