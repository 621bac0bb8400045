"""The plans of issue 16's small fixes, measured with EXPLAIN ANALYZE on a filled PostgreSQL database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wd_loadtest_bench .venv/bin/python bench/plans.py [--runs 3]

For each query the page runs (the first page of the list: ``LIMIT 25``), prints the execution time PostgreSQL
reports (median of ``--runs``) and the scans of the plan: the team lead's customer list in the old shape (``OR``
across the staff join) and in the scope's shape now (a semi-join), the contact list of a center head, a branch
and head office (newest first: the ``(contacted_at DESC, id DESC)`` index), and the customer search by name and
by the last four digits of the mobile at head office (trigram indexes). Run it before and after ``migrate`` to
see the indexes' effect; nothing here changes data.
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wealthdesk.config.settings.base")
SCAN = re.compile(r"(Parallel )?(Seq|Index|Index Only|Bitmap Index|Bitmap Heap) Scan( Backward)?( using \w+)? on \w+")


def explain(cursor, sql: str, params, runs: int) -> tuple[float, str]:
    times, top = [], ""
    for _ in range(runs):
        cursor.execute("EXPLAIN (ANALYZE, FORMAT TEXT) " + sql, params)
        lines = [row[0] for row in cursor.fetchall()]
        times.append(float(re.search(r"Execution Time: ([\d.]+)", lines[-1]).group(1)))
        scans = [m.group(0) for m in map(SCAN.search, lines) if m]
        top = "; ".join(dict.fromkeys(scans))
    return statistics.median(times), top


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Q

    from wealthdesk.contacts.models import ContactRecord
    from wealthdesk.customers.models import Customer
    from wealthdesk.customers.selectors import customer_list
    from wealthdesk.staff.models import User

    lead = User.objects.get(username="lead_c1")
    users = {name: User.objects.get(username=name) for name in ("head_c1", "branch1_service", "hq_service")}
    old_team = Customer.objects.filter(Q(client_manager=lead) | Q(client_manager__team_id=lead.team_id))
    sample = Customer.objects.order_by("id").values_list("name", "mobile")[5000]
    cases = [
        ("team lead customers, OR across the join (old)", old_team.order_by("-aum_avg", "id")[:25]),
        ("team lead customers, count (old)", old_team.values("id")),
        ("team lead customers, semi-join (now)", customer_list(lead)[:25]),
        ("team lead customers, count (now)", customer_list(lead).values("id")),
    ]
    for name, user in users.items():
        cases.append((f"contact list, {name}", ContactRecord.objects.visible_to(user).select_related(
            "customer", "staff").order_by("-contacted_at", "-id")[:25]))
    cases += [
        (f"name search '{sample[0][:2]}', hq_service", customer_list(users["hq_service"], q=sample[0][:2])[:25]),
        (f"name search '{sample[0]}', hq_service", customer_list(users["hq_service"], q=sample[0])[:25]),
        (f"mobile tail '{sample[1][-4:]}', hq_service", customer_list(users["hq_service"], q=sample[1][-4:])[:25]),
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname IN "
                       "('contact_at_id_desc_idx', 'customer_name_trgm_idx', 'customer_mobile_trgm_idx')")
        print("indexes present:", ", ".join(sorted(r[0] for r in cursor.fetchall())) or "none")
        for label, qs in cases:
            if "count" in label:
                sql, params = qs.query.sql_with_params()
                sql, params = f"SELECT count(*) FROM ({sql}) AS q", params
            else:
                sql, params = qs.query.sql_with_params()
            ms, top = explain(cursor, sql, params, args.runs)
            print(f"{label:<48} {ms:>9.1f} ms   {top[:200]}")


if __name__ == "__main__":
    main()
