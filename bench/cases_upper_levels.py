"""Benchmark: the upper levels' case pages and the VIP bulletin's reach over bank-sized data, PostgreSQL (R5, R40).

    .venv/bin/python bench/cases_upper_levels.py [--customers 300000] [--cases 200000] [--keep]

Creates the throw-away database ``wealthdesk_bench_cases`` on 127.0.0.1:5432 (user postgres), migrates it, builds
the org tree (5 branches, 50 centers, 5 client managers each, service staff at each level, 2 head-office
relationship managers) and bulk-loads with COPY: N customers, M cases spread over the centers and held at every
level (a share overdue), private-banking joint teams for every private customer, one published bulletin issue and
a receipt for a third of its eligible customers; ANALYZE; then times, with the real selectors:
head office's 下级答复逾期 (count + first page), a branch's inbox, head office's case list (first page and count),
a head-office relationship manager's customer list through the scope extension, and the bulletin's reach rolled
up at head office.
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
DB = "wealthdesk_bench_cases"
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"


def psql(sql: str, db: str = "postgres") -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-q", "-c", sql], check=True)


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wealthdesk.config.settings.base")
    import django

    django.setup()


def user(username, unit, role):
    from wealthdesk.staff.models import StaffRole, User

    u = User.objects.create(username=username, full_name=username, unit=unit)
    StaffRole.objects.create(user=u, role=role)
    return u


def build_org():
    from wealthdesk.core.roles import Role
    from wealthdesk.orgs.choices import UnitKind
    from wealthdesk.orgs.models import OrgUnit

    hq = OrgUnit.objects.create(code="HO", name="总行", kind=UnitKind.HEAD_OFFICE)
    org = {"hq": hq, "centers": [], "managers": [], "hq_service": user("hq_service", hq, Role.HQ_SERVICE),
           "rms": [user(f"pb_{i}", hq, Role.CLIENT_MANAGER) for i in range(2)], "branches": []}
    for b in range(5):
        branch = OrgUnit.objects.create(code=f"B{b}", name=f"分行{b}", kind=UnitKind.BRANCH1, parent=hq)
        org["branches"].append((branch, user(f"branch_{b}", branch, Role.BRANCH_SERVICE)))
        sub = OrgUnit.objects.create(code=f"S{b}", name=f"支行{b}", kind=UnitKind.SUBBRANCH, parent=branch)
        user(f"sub_{b}", sub, Role.SUBBRANCH_SERVICE)
        for c in range(10):
            center = OrgUnit.objects.create(code=f"C{b}{c:02d}", name=f"理财中心{b}-{c}", kind=UnitKind.CENTER,
                                            parent=sub)
            head = user(f"head_{b}_{c}", center, Role.CENTER_HEAD)
            org["centers"].append((center, sub, branch, head))
            for m in range(5):
                org["managers"].append((user(f"cm_{b}_{c}_{m}", center, Role.CLIENT_MANAGER).pk, center.pk))
    return org


def load(org, n_customers: int, n_cases: int, rng: random.Random) -> dict:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone

    from wealthdesk.cases.models import BulletinIssue, BulletinReceipt, Case, JointTeam
    from wealthdesk.core.bulk import copy_rows, reset_sequence
    from wealthdesk.customers.models import Customer

    now, today = timezone.now(), timezone.localdate()
    tiers = ["private"] * 3 + ["core"] * 19 + ["premium"] * 70 + ["ordinary"] * 8
    managers = org["managers"]
    tier_of = [tiers[rng.randrange(100)] for _ in range(n_customers)]
    t = {}
    started = time.perf_counter()
    with transaction.atomic():
        cols = ["id", "cif_no", "name", "gender", "id_type", "id_number", "mobile", "address", "occupation", "tier",
                "risk_level", "client_manager_id", "center_id", "status", "aum", "aum_avg", "created_at",
                "updated_at", "version"]
        copy_rows(Customer._meta.db_table, cols, (
            (i, f"C{i:09d}", "客户", "", "passport", f"P{i:09d}", "", "", "", tier_of[i - 1], "",
             managers[i % len(managers)][0], managers[i % len(managers)][1], "active", 500000, 500000, now, now, 1)
            for i in range(1, n_customers + 1)))
    reset_sequence(Customer)
    t["customers"] = time.perf_counter() - started

    started = time.perf_counter()
    ct = ContentType.objects.get_for_model(Customer)
    centers = org["centers"]

    def case_rows():
        for i in range(1, n_cases + 1):
            center, sub, branch, head = centers[i % len(centers)]
            where = rng.random()
            if where < 0.5:
                status, state, holder, due = "closed", "answered", center.pk, today - dt.timedelta(days=20)
            elif where < 0.7:
                status, state, holder, due = "referred", "escalated", sub.pk, today + dt.timedelta(days=2)
            elif where < 0.85:
                status, state, holder, due = "referred", "escalated", branch.pk, today + dt.timedelta(days=3)
            elif where < 0.9:
                status, state, holder, due = "referred", "escalated", org["hq"].pk, today + dt.timedelta(days=1)
            else:
                status, state, holder, due = "referred", "escalated", (sub if where < 0.95 else branch).pk, \
                    today - dt.timedelta(days=rng.randrange(1, 10))
            yield (center.pk, "customer", ct.pk, (i % n_customers) + 1, f"事项{i}", "需上级协调", "standard", status,
                   head.pk, due, holder, state, "", "", now, now)

    with transaction.atomic():
        copy_rows(Case._meta.db_table, ["center_id", "subject_kind", "subject_type_id", "subject_id", "title",
                                        "question", "service_level", "status", "opened_by_id", "due_on",
                                        "holder_unit_id", "escalation_state", "answer", "close_note", "created_at",
                                        "updated_at"],
                  case_rows())
    reset_sequence(Case)
    t["cases"] = time.perf_counter() - started

    started = time.perf_counter()
    private = [i for i in range(1, n_customers + 1) if tier_of[i - 1] == "private"]
    rms = org["rms"]
    with transaction.atomic():
        copy_rows(JointTeam._meta.db_table, ["customer_id", "hq_manager_id", "started_on", "active", "note",
                                             "created_at", "updated_at"],
                  ((cid, rms[k % 2].pk, today, True, "", now, now) for k, cid in enumerate(private)))
        issue = BulletinIssue.objects.create(issue_no="B-1", title="专刊", status="published", tiers=["core", "private"],
                                             published_on=today)
        issue.units.set([org["hq"]])
        eligible = [(i, managers[i % len(managers)]) for i in range(1, n_customers + 1)
                    if tier_of[i - 1] in ("core", "private")]
        copy_rows(BulletinReceipt._meta.db_table, ["issue_id", "customer_id", "center_id", "marked_by_id",
                                                   "created_at", "updated_at"],
                  ((issue.pk, cid, m[1], m[0], now, now) for k, (cid, m) in enumerate(eligible) if k % 3 == 0))
    t["joint_and_bulletin"] = time.perf_counter() - started
    t["joint_teams"], t["issue"] = len(private), issue
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return t


def timed(label, fn, repeat=3):
    best = None
    for _ in range(repeat):
        started = time.perf_counter()
        out = fn()
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    print(f"  {label}: {best * 1000:.0f} ms (best of {repeat}) → {out}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=300_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    psql(f"DROP DATABASE IF EXISTS {DB}")
    psql(f"CREATE DATABASE {DB}")
    try:
        setup_django()
        from django.core.management import call_command

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrated in {time.perf_counter() - started:.1f} s", flush=True)
        from wealthdesk.cases import bulletins, selectors
        from wealthdesk.customers.models import Customer

        org = build_org()
        t = load(org, args.customers, args.cases, random.Random(2026))
        print(f"loaded {args.customers:,} customers in {t['customers']:.1f} s, {args.cases:,} cases in "
              f"{t['cases']:.1f} s, {t['joint_teams']:,} joint teams and the bulletin's receipts in "
              f"{t['joint_and_bulletin']:.1f} s (COPY)", flush=True)
        hq_service, branch_service = org["hq_service"], org["branches"][0][1]
        rm = org["rms"][0]
        timed("head office 下级答复逾期: count", lambda: selectors.overdue_below(hq_service).count())
        timed("head office 下级答复逾期: first 20", lambda: len(list(selectors.overdue_below(hq_service)[:20])))
        timed("branch inbox: first 20", lambda: len(list(selectors.case_inbox(branch_service)[:20])))
        timed("head office case list: count", lambda: selectors.case_list(hq_service).count())
        timed("head office case list: first page", lambda: len(list(selectors.case_list(hq_service)[:30])))
        timed("relationship manager's customers (scope extension): count",
              lambda: Customer.objects.visible_to(rm).count())
        timed("relationship manager's customers: first page",
              lambda: len(list(Customer.objects.visible_to(rm).order_by("-aum_avg", "id")[:30])))
        cm = Customer.objects.order_by("id").first().client_manager
        timed("a center client manager's customers (no extension): count",
              lambda: Customer.objects.visible_to(cm).count())
        timed("bulletin reach rolled up at head office",
              lambda: [int(r["figures"]["received"]) for r in bulletins.reach_rows(hq_service, t["issue"], org["hq"])])
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            psql(f"DROP DATABASE IF EXISTS {DB}")


if __name__ == "__main__":
    main()
