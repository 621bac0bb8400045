"""Benchmark: career goals (R37) and training (R38, R40) at bank scale, PostgreSQL.

    .venv/bin/python bench/development.py [--branches 20] [--centers 50] [--staff 10] [--keep]

Creates the throw-away database ``wealthdesk_bench_development`` on 127.0.0.1:5432 (user postgres), migrates it,
builds head office → branches → sub-branches (5 per branch) → centers with staff, and bulk-loads (COPY through
``core.bulk.copy_rows``) one career goal per staff member with four quarterly reviews (some overdue), and per
branch ten trainings whose participants are every client manager of a sixth of its centers, with attendance and
scores. Then times, with their query counts: the R37 compliance measure over every center, the head office's
goal list (first page, overdue filter), the training roll-up at head office and at one branch, and one center
head's overdue reviews.
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
DB = "wealthdesk_bench_development"
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


def build(args, rng):
    from django.utils import timezone

    from wealthdesk.core.bulk import copy_rows, reset_sequence
    from wealthdesk.core.roles import Role
    from wealthdesk.development.models import CareerGoal, CareerReview, Enrolment, TrainingPlan
    from wealthdesk.development.services import quarter_end, review_due_on
    from wealthdesk.orgs.choices import UnitKind
    from wealthdesk.orgs.models import OrgUnit
    from wealthdesk.staff.models import StaffRole, User

    hq = OrgUnit.objects.create(code="HO", name="总行", kind=UnitKind.HEAD_OFFICE)
    branches, centers_of = [], {}
    for b in range(args.branches):
        branch = OrgUnit.objects.create(code=f"B{b}", name=f"分行{b}", kind=UnitKind.BRANCH1, parent=hq)
        branches.append(branch)
        centers_of[branch.pk] = []
        for s in range(5):
            sub = OrgUnit.objects.create(code=f"S{b}-{s}", name=f"支行{b}-{s}", kind=UnitKind.SUBBRANCH, parent=branch)
            for c in range(args.centers // 5):
                center = OrgUnit.objects.create(code=f"C{b}-{s}-{c}", name=f"理财中心{b}-{s}-{c}",
                                                kind=UnitKind.CENTER, parent=sub)
                centers_of[branch.pk].append(center)
    users, roles = [], []
    for branch in branches:
        users.append(User(username=f"svc_{branch.code}", unit=branch))
        roles.append(Role.BRANCH_SERVICE)
        for center in centers_of[branch.pk]:
            users.append(User(username=f"head_{center.code}", unit=center))
            roles.append(Role.CENTER_HEAD)
            for m in range(args.staff):
                users.append(User(username=f"cm_{center.code}_{m}", unit=center))
                roles.append(Role.CLIENT_MANAGER)
    users.append(User(username="hq_bench", unit=hq))
    roles.append(Role.HQ_SERVICE)
    User.objects.bulk_create(users, batch_size=5000)
    StaffRole.objects.bulk_create([StaffRole(user=u, role=r) for u, r in zip(users, roles, strict=True)],
                                  batch_size=5000)
    head_of = {u.unit_id: u.pk for u, r in zip(users, roles, strict=True) if r == Role.CENTER_HEAD}
    svc_of = {u.unit_id: u.pk for u, r in zip(users, roles, strict=True) if r == Role.BRANCH_SERVICE}
    cms = [(u.pk, u.unit_id) for u, r in zip(users, roles, strict=True) if r == Role.CLIENT_MANAGER]

    started = time.perf_counter()
    now = timezone.now()
    year = TODAY.year
    copy_rows("development_careergoal",
              ["id", "staff_id", "center_id", "year", "goal", "alignment", "measures", "head_id", "head_agreed_at",
               "staff_agreed_at", "status", "version", "created_at", "updated_at"],
              ((i + 1, uid, cid, year, "目标", "战略", "措施", head_of[cid], now, now, "agreed", 1, now, now)
               for i, (uid, cid) in enumerate(cms)))
    reset_sequence(CareerGoal)
    rid = 0
    due = {q: review_due_on(year, q) for q in range(1, 5)}  # parameter reads before the COPY starts

    def reviews():
        nonlocal rid
        for i in range(len(cms)):
            for q in range(1, 5):
                rid += 1
                held = quarter_end(year, q) < TODAY and rng.random() < 0.8
                yield (rid, i + 1, q, due[q], "held" if held else "pending",
                       quarter_end(year, q) if held else None, "进展" if held else "", "", None, now, now)

    copy_rows("development_careerreview",
              ["id", "goal_id", "quarter", "due_on", "status", "held_on", "progress", "next_steps", "reviewed_by_id",
               "created_at", "updated_at"], reviews())
    reset_sequence(CareerReview)
    goals_time = time.perf_counter() - started

    started = time.perf_counter()
    plans, audience, enrolments = [], [], []
    tid = eid = 0
    cms_of_center: dict[int, list[int]] = {}
    for uid, cid in cms:
        cms_of_center.setdefault(cid, []).append(uid)
    for branch in branches:
        centers = centers_of[branch.pk]
        for t in range(10):
            tid += 1
            held_on = TODAY - dt.timedelta(days=10 + 30 * t)
            plans.append((tid, branch.pk, f"培训{t}", held_on, "讲师", '["client_manager"]', "差距", "aum", "held", 1,
                          now, now))
            chosen = centers[t % 6::6]
            for center in chosen:
                audience.append((tid, center.pk))
                for uid in cms_of_center[center.pk]:
                    eid += 1
                    present = rng.random() < 0.9
                    score = rng.randint(60, 99) if present and rng.random() < 0.85 else None
                    enrolments.append((eid, tid, uid, center.pk, "present" if present else "absent", svc_of[branch.pk],
                                       score, "", svc_of[branch.pk] if score else None, now if score else None, now,
                                       now))
    copy_rows("development_trainingplan",
              ["id", "organizer_id", "topic", "held_on", "trainer", "audience_positions", "gap", "indicator_code",
               "status", "version", "created_at", "updated_at"], plans)
    reset_sequence(TrainingPlan)
    copy_rows("development_trainingplan_audience_units", ["trainingplan_id", "orgunit_id"], audience)
    copy_rows("development_enrolment",
              ["id", "training_id", "person_id", "unit_id", "attendance", "attendance_by_id", "score", "comment",
               "assessed_by_id", "assessed_at", "created_at", "updated_at"], enrolments)
    reset_sequence(Enrolment)
    training_time = time.perf_counter() - started
    return {"hq": hq, "branch": branches[0], "centers": [c for cs in centers_of.values() for c in cs],
            "cms": len(cms), "plans": len(plans), "enrolments": len(enrolments), "goals_s": goals_time,
            "training_s": training_time, "head": head_of[centers_of[branches[0].pk][0].pk],
            "svc": svc_of[branches[0].pk]}


def timed(label, fn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - started
    print(f"{label}: {elapsed * 1000:.0f} ms, {len(ctx.captured_queries)} queries", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--branches", type=int, default=20)
    parser.add_argument("--centers", type=int, default=50, help="centers per branch (multiple of 5)")
    parser.add_argument("--staff", type=int, default=10, help="client managers per center")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    psql(f"DROP DATABASE IF EXISTS {DB}")
    psql(f"CREATE DATABASE {DB}")
    try:
        setup_django()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        from wealthdesk.development import selectors
        from wealthdesk.staff.models import User

        data = build(args, random.Random(2026))
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
        print(f"data: {len(data['centers']):,} centers, {data['cms']:,} career goals with {data['cms'] * 4:,} reviews "
              f"({data['goals_s']:.1f} s COPY), {data['plans']} trainings with {data['enrolments']:,} participants "
              f"({data['training_s']:.1f} s COPY)", flush=True)
        center_ids = [c.pk for c in data["centers"]]
        hq_user = User.objects.get(username="hq_bench")
        svc = User.objects.get(pk=data["svc"])
        head = User.objects.get(pk=data["head"])
        for u in (hq_user, svc, head):
            u.role_codes  # noqa: B018 - warm the positions like a request does
        figures = timed(f"R37 compliance measure over {len(center_ids):,} centers",
                        lambda: selectors.review_compliance(center_ids, TODAY))
        print(f"  overdue reviews in the bank: {sum(f['overdue'] for f in figures.values()):,}")
        timed("head office goal list, first page of 30 with count (overdue filter)",
              lambda: (selectors.goal_list(hq_user, overdue_on=TODAY).count(),
                       list(selectors.goal_list(hq_user, overdue_on=TODAY)[:30])))
        timed("head office training roll-up (per branch, year)",
              lambda: selectors.training_rollup(hq_user, data["hq"], TODAY.year))
        timed("branch training roll-up (per sub-branch, year)",
              lambda: selectors.training_rollup(svc, data["branch"], TODAY.year))
        timed("head office training list, first page of 30 with count",
              lambda: (selectors.training_list(hq_user).count(), list(selectors.training_list(hq_user)[:30])))
        timed("center head's overdue reviews", lambda: list(selectors.overdue_reviews(head, TODAY)[:8]))
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            psql(f"DROP DATABASE IF EXISTS {DB}")


if __name__ == "__main__":
    main()
