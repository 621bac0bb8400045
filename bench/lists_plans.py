"""The plans of the list pages (``bench/lists.py plans``): EXPLAIN ANALYZE of the page's row query, a deep page
and its count, per persona; the old shapes (join on the path, OFFSET, exact count) beside the new ones."""
from __future__ import annotations

from plans import explain


def run(runs: int) -> None:
    from django.db import connection
    from django.db.models import Q
    from django.test.utils import CaptureQueriesContext

    from wealthdesk.alerts.selectors import alert_list
    from wealthdesk.contacts.models import ContactRecord
    from wealthdesk.contacts.selectors import contact_list
    from wealthdesk.core.keyset import encode_cursor, keyset_page, sort_keys
    from wealthdesk.customers.models import Customer
    from wealthdesk.customers.selectors import customer_list
    from wealthdesk.staff.models import User

    people = {n: User.objects.get(username=n) for n in ("bench_head", "bench_lead", "bench_branch", "hq_bench")}

    def deep(qs, depth=5000):
        """The page after row ``depth`` (what page 200 of 25 rows asks for): the seek, not an OFFSET."""
        keys = sort_keys(qs)
        row = qs[depth - 1: depth].first() or qs.last()
        values = [getattr(row, k.name) for k in keys]

        cursor = encode_cursor(values, back=False, number=201)
        with CaptureQueriesContext(connection) as ctx:
            keyset_page(qs, cursor=cursor, per_page=25)
        return ctx.captured_queries[-1]["sql"]

    cases = []
    for name, user in people.items():
        old = Customer.objects.filter(center__path__startswith=user.unit.path) if name in ("bench_branch", "hq_bench") \
            else None
        qs = customer_list(user)
        if old is not None:
            cases.append((f"{name} customers page 1, join on path (old)", old.order_by("-aum_avg", "id")[:26], None))
            cases.append((f"{name} customers page 200, join + OFFSET (old)", old.order_by("-aum_avg", "id")[4975:5001],
                          None))
            cases.append((f"{name} customers exact count (old)", old.values("id"), "count"))
        cases.append((f"{name} customers page 1 (keyset)", qs[:26], None))
        cases.append((f"{name} customers page 200 (keyset)", deep(qs), "sql"))
        cases.append((f"{name} customers page 1 by name", customer_list(user, sort="name")[:26], None))
        cases.append((f"{name} customers page 200 by name", deep(customer_list(user, sort="name")), "sql"))
        cases.append((f"{name} customers bounded count (≤ 2,001)", qs.order_by().values("pk")[:2001], "count"))
        cases.append((f"{name} contacts page 1", contact_list(user)[:26], None))
        cases.append((f"{name} alerts page 1", alert_list(user)[:26], None))
    hq = people["hq_bench"]
    cases.append(("hq name search 2 chars '张伟' (prefix)", customer_list(hq, q="张伟")[:26], None))
    cases.append(("hq name search 2 chars '张伟' contains (old)",
                  Customer.objects.filter(name__contains="张伟").order_by("-aum_avg", "id")[:26], None))
    cases.append(("hq name search 3 chars '张伟东' (trigram)", customer_list(hq, q="张伟东")[:26], None))
    lead = people["bench_lead"]
    team = User.objects.filter(Q(team_id=lead.team_id) | Q(pk=lead.pk)).values("pk")
    old_team = ContactRecord.objects.filter(customer__in=Customer.objects.filter(client_manager__in=team).values("pk"))
    cases.append(("team lead contacts, IN semi-join (before)", old_team.order_by("-contacted_at", "-id")[:26], None))

    print(f"{'query':58} {'ms':>9}  plan")
    with connection.cursor() as cursor:
        for label, qs, kind in cases:
            if kind == "sql":
                sql, params = qs, None
            elif kind == "count":
                inner, params = qs.query.sql_with_params()
                sql = f"SELECT count(*) FROM ({inner}) t"
            else:
                sql, params = qs.query.sql_with_params()
            ms, scans = explain(cursor, sql, params, runs)
            print(f"{label:58} {ms:9.1f}  {scans}", flush=True)
