"""Benchmark (issue 16): the roll-up figures read from the maintained summaries at bank size on PostgreSQL.

    .venv/bin/python bench/summaries.py [--customers 1000000] [--keep]

Builds the throw-away database ``wealthdesk_bench_summaries`` with ``bench/dashboard.py``'s builder (head office →
10 branches → 100 sub-branches → 1,334 centers, 4 client managers per center, N customers, a month of activity)
plus 2.1 million older contacts spread over the previous twelve months (2.6 M in all), then:

* builds the summaries (``manage.py rebuild_summaries``: the time the daily load / a restore pays);
* times coverage (head office, a branch, a center), the home tier panel, ``/orgs/``'s counts and the dashboard at
  head office and at a branch — each next to the raw SQL of the same figure over the summary (the 2× target);
* times one contact write with and without the summary's upkeep, and the daily load's rebuild of the AUM sums.

Times are the best of three (warm). Figures go in bench/README.md.
"""
import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dashboard as base

DB = "wealthdesk_bench_summaries"
base.DB = DB
base.URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
TODAY = base.DAY

RAW = {
    "coverage by center (head office)": """
        SELECT center_id, sum(n),
               sum(n) FILTER (WHERE contacted AND anchor_month >= %(m)s),
               sum(n) FILTER (WHERE anchor_month < %(m)s - 1)
        FROM contacts_coveragecount WHERE tier IN ('private', 'core', 'premium') AND manager_id IS NOT NULL
        GROUP BY center_id""",
    "tier counts (head office)": "SELECT tier, sum(n) FROM customers_customercount GROUP BY tier",
    "customers per center (/orgs/)": "SELECT center_id, sum(n) FROM customers_customercount GROUP BY center_id",
}
LIVE = {
    "coverage, live (one branch)": """
        SELECT c.client_manager_id, c.center_id, count(*) FROM customers_customer c
        LEFT JOIN LATERAL (SELECT max(contacted_at) m FROM contacts_contactrecord r WHERE r.customer_id = c.id) l
          ON true
        JOIN orgs_orgunit u ON u.id = c.center_id
        WHERE u.path LIKE %(p)s AND c.tier IN ('private', 'core', 'premium')
        GROUP BY 1, 2""",
    "tier counts, live (head office)": "SELECT tier, count(*) FROM customers_customer GROUP BY tier",
}


def more_contacts(n: int, customers: int) -> int:
    from wealthdesk.contacts.models import ContactRecord

    ts = (f"(timestamp '{TODAY.replace(day=1)} 10:00' - (((i % 365) + 1) || ' days')::interval) "
          f"AT TIME ZONE 'Asia/Shanghai'")
    cust = f"(1 + (i::bigint * 104729) % {customers})::int"
    staff = "(SELECT client_manager_id FROM customers_customer WHERE id = " + cust + ")"
    return base.insert_select(ContactRecord, str(n), {"customer_id": cust, "staff_id": staff, "kind": "'phone'",
                                                      "contacted_at": ts})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    base.psql(f"DROP DATABASE IF EXISTS {DB}")
    base.psql(f"CREATE DATABASE {DB}")
    try:
        base.setup_django()
        from django.core.management import call_command
        from django.db import connection, transaction
        from django.utils import timezone

        call_command("migrate", verbosity=0)
        data = base.build(args.customers)
        started = time.perf_counter()
        extra = more_contacts(int(args.customers * 2.1), args.customers)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("SELECT count(*) FROM contacts_contactrecord")
            contacts = cursor.fetchone()[0]
        print(f"built {data['centers']:,} centers, {args.customers:,} customers, {contacts:,} contacts "
              f"(+{extra:,} older in {time.perf_counter() - started:.1f} s)", flush=True)

        from wealthdesk.contacts import selectors as contact_selectors
        from wealthdesk.contacts.choices import ContactKind
        from wealthdesk.contacts.models import ContactRecord
        from wealthdesk.contacts.services import contact_create
        from wealthdesk.contacts.summaries import month_index
        from wealthdesk.core import summaries
        from wealthdesk.customers.models import Customer
        from wealthdesk.customers.selectors import tier_counts
        from wealthdesk.dashboards import selectors as dash
        from wealthdesk.orgs.models import OrgUnit
        from wealthdesk.staff.models import StaffRole, User

        started = time.perf_counter()
        built = summaries.rebuild()
        print(f"rebuild_summaries: {time.perf_counter() - started:.2f} s {built}", flush=True)
        started = time.perf_counter()
        summaries.rebuild(balance_derived=True)
        print(f"daily load's rebuild of the AUM sums (customers.counts): {time.perf_counter() - started:.2f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

        hq, boss = data["hq"], data["boss"]
        branch = OrgUnit.objects.filter(parent=hq).order_by("path").first()
        center = OrgUnit.objects.filter(path__startswith=branch.path, kind="center").order_by("path").first()
        b_user = User.objects.create(username="b_bench", unit=branch, password="!")
        StaffRole.objects.create(user=b_user, role="branch_service")
        c_head = User.objects.create(username="c_bench", unit=center, password="!")
        StaffRole.objects.create(user=c_head, role="center_head")
        params = {"m": month_index(TODAY), "p": branch.path + "%"}
        rows = []

        def line(name, seconds, raw=None):
            ratio = f"{seconds / raw:.1f}×" if raw else ""
            rows.append((name, seconds, raw, ratio))
            print(f"{name:48s} {seconds * 1000:8.1f} ms" + (f"   raw {raw * 1000:7.1f} ms  {ratio}" if raw else ""),
                  flush=True)

        raw = {k: base.best(lambda s=s: base.raw_time(s, params)) for k, s in RAW.items()}
        line("coverage, head office (units below)",
             base.best(lambda: contact_selectors.coverage_by_unit(boss, TODAY, unit=hq)),
             raw["coverage by center (head office)"])
        line("coverage, branch (units below)",
             base.best(lambda: contact_selectors.coverage_by_unit(b_user, TODAY, unit=branch)),
             raw["coverage by center (head office)"])
        line("coverage, center (per manager)",
             base.best(lambda: contact_selectors.coverage_by_manager(c_head, TODAY, unit=center)))
        line("home tier panel, head office", base.best(lambda: tier_counts(boss)), raw["tier counts (head office)"])
        line("home tier panel, branch", base.best(lambda: tier_counts(b_user)))

        def orgs_counts(user, root):
            from django.db.models import Sum

            from wealthdesk.customers.models import CustomerCount
            return dict(CustomerCount.objects.visible_to(user).filter(center__path__startswith=root.path)
                        .values_list("center").annotate(n=Sum("n")).order_by())
        line("/orgs/ customer counts, head office", base.best(lambda: orgs_counts(boss, hq)),
             raw["customers per center (/orgs/)"])
        for name, sql in LIVE.items():
            line(name + " [before: base tables]", base.best(lambda s=sql: base.raw_time(s, params), repeat=1))
        period = dash.Period(TODAY.replace(day=1), TODAY)
        dash.dashboard(boss, hq, period)
        line("dashboard, head office (warm)", base.best(lambda: dash.dashboard(boss, hq, period)))
        line("dashboard, branch (warm)", base.best(lambda: dash.dashboard(b_user, branch, period)))

        # one contact write, with and without the summary's upkeep
        targets = list(Customer.objects.filter(center=center).order_by("id")[:40])

        def write(i):
            contact_create(actor=c_head, customer=targets[i % len(targets)], kind=ContactKind.PHONE,
                           contacted_at=timezone.now())

        def timed(indices):
            times = []
            for i in indices:
                started = time.perf_counter()
                write(i)
                times.append(time.perf_counter() - started)
            return sorted(times)[len(times) // 2]

        with_summary = timed(range(0, 20))
        from django.db.models.signals import post_save, pre_save
        post_save.disconnect(dispatch_uid="contacts.summaries.post", sender=ContactRecord)
        pre_save.disconnect(dispatch_uid="contacts.summaries.pre", sender=ContactRecord)
        without = timed(range(20, 40))
        line("one contact write (median), with summary upkeep", with_summary)
        line("one contact write (median), without", without)
        assert transaction.get_autocommit()
    finally:
        from django.db import connections
        connections.close_all()
        if not args.keep:
            base.psql(f"DROP DATABASE IF EXISTS {DB}")


if __name__ == "__main__":
    main()
