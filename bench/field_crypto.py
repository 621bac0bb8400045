"""Benchmark: the cost of personal data encrypted at rest (issue 15) at 1,000,000 customers.

    .venv/bin/python bench/field_crypto.py [--rows 1000000] [--lookups 300] [--keep]

Creates the throw-away database ``wd_encrypt_bench`` on 127.0.0.1:5432 (user postgres), migrates it, then

1. loads N customers with ``core.bulk.copy_rows`` from the same Python generator as ``seed_demo`` (valid resident
   IDs, mobiles, addresses) twice: **with encryption** into ``customers_customer`` (``core.fields.copy_encoder``:
   three AES-256-GCM fields and two HMACs per row, in the COPY generator), and **without** into a same-shaped copy
   (``LIKE … INCLUDING ALL``: same indexes and unique constraint) with the clear values in place of ciphertext
   and indexes; prints rows/s for both and the generator's own cost per row;
2. times the exact lookup by full ID number and by full mobile (``customers.selectors.customer_by_exact_identifier``,
   the teller's lookup: blind index) and, for comparison, the same exact match on the clear copy;
3. times the list's search by the mobile's last four digits (``customer_list(q="1234")``, first page of 50,
   ``mobile_tail`` index) against the former way, ``mobile LIKE '%1234'`` with a trigram index, on the clear copy.

Prints p50/p95 in milliseconds. Drops the database at the end unless ``--keep``.
"""
import argparse
import random
import statistics
import time
from pathlib import Path

import _pg

ROOT = Path(__file__).resolve().parents[1]
DB = "wd_encrypt_bench"
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
psql = _pg.psql
PLAIN = "bench_plain_customer"


def setup_django():
    _pg.setup_django(URL)


def build():
    from wealthdesk.core.roles import Role
    from wealthdesk.orgs.choices import UnitKind
    from wealthdesk.orgs.models import OrgUnit
    from wealthdesk.staff.models import StaffRole, User

    hq = OrgUnit.objects.create(code="HO", name="总行", kind=UnitKind.HEAD_OFFICE)
    b1 = OrgUnit.objects.create(code="B1", name="分行", kind=UnitKind.BRANCH1, parent=hq)
    s1 = OrgUnit.objects.create(code="S1", name="支行", kind=UnitKind.SUBBRANCH, parent=b1)
    c1 = OrgUnit.objects.create(code="C1", name="理财中心", kind=UnitKind.CENTER, parent=s1)
    head = User.objects.create(username="head_c1", full_name="中心负责人", unit=c1)
    StaffRole.objects.create(user=head, role=Role.CENTER_HEAD)
    return c1, head


def customer_rows(n: int, center_id: int):
    """Clear rows like seed_demo's (valid IDs, mobiles, addresses); returns (columns, generator)."""
    from django.utils import timezone

    from wealthdesk.customers.seed import DISTRICTS, MOBILE_PREFIX, ROADS, draw_aum, make_id_number

    columns = ["cif_no", "name", "gender", "birth_date", "id_type", "id_number", "mobile", "address", "occupation",
               "tier", "risk_level", "center_id", "status", "aum", "aum_avg", "created_at", "updated_at", "version"]
    now = timezone.now()

    def rows(seed=11):
        rng = random.Random(seed)
        for i in range(n):
            id_number, birth, gender = make_id_number(i, rng)
            aum = draw_aum(rng)
            mobile = rng.choice(MOBILE_PREFIX) + f"{rng.randint(0, 99_999_999):08d}"
            address = f"{DISTRICTS[i % len(DISTRICTS)]}{rng.choice(ROADS)}{rng.randint(1, 999)}号"
            yield (f"C{i + 1:09d}", f"客户{i}", gender, birth, "id_card", id_number, mobile, address, "",
                   "premium", "C3", center_id, "active", aum, aum, now, now, 1)

    return columns, rows


def timed(fn, repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=300)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept, migrated database (skips migrate)")
    args = parser.parse_args()
    if not args.reuse:
        psql(f"DROP DATABASE IF EXISTS {DB}")
        psql(f"CREATE DATABASE {DB}")
    else:
        psql(f"SET wealthdesk.allow_truncate = on; DROP TABLE IF EXISTS {PLAIN}; TRUNCATE customers_customer CASCADE; "
             "DELETE FROM staff_staffrole; DELETE FROM staff_user; DELETE FROM orgs_orgunit", db=DB)
    try:
        setup_django()
        from django.core.management import call_command
        from django.db import connection, transaction

        from wealthdesk.core.bulk import copy_rows
        from wealthdesk.core.fields import copy_encoder
        from wealthdesk.customers.models import Customer
        from wealthdesk.customers.selectors import customer_by_exact_identifier, customer_list

        if not args.reuse:
            started = time.perf_counter()
            call_command("migrate", verbosity=0)
            print(f"migrate: {time.perf_counter() - started:.1f} s", flush=True)
        center, head = build()
        n = args.rows
        columns, rows = customer_rows(n, center.pk)
        enc_columns, encode = copy_encoder(Customer, columns)

        probe = min(n, 100_000)  # the generator's cost per row, on a slice (CPU time: the machine is shared)
        started = time.process_time()
        for _row, _i in zip(rows(), range(probe), strict=False):
            pass
        gen = time.process_time() - started
        started = time.process_time()
        for row, _i in zip(rows(), range(probe), strict=False):
            encode(row)
        gen_enc = time.process_time() - started
        print(f"generator alone: {gen / probe * 1e6:.1f} µs CPU/row; with encryption + indexes: "
              f"{gen_enc / probe * 1e6:.1f} µs CPU/row (crypto {(gen_enc - gen) / probe * 1e6:.1f} µs/row = "
              "3 AES-GCM + 2 HMAC + tail)", flush=True)

        with connection.cursor() as cur:
            cur.execute(f"CREATE TABLE {PLAIN} (LIKE customers_customer INCLUDING ALL)")
        bidx = {"id_number": 5, "mobile": 6}

        def plain(row):  # the clear values where the ciphertext and the indexes go: same widths of work, no crypto
            return (*row, row[bidx["id_number"]], row[bidx["mobile"]], row[bidx["mobile"]][-4:])

        with transaction.atomic():
            started = time.perf_counter()
            copy_rows(PLAIN, enc_columns, map(plain, rows()))
            t_plain = time.perf_counter() - started
        every = max(1, n // args.lookups)
        sample = []

        def encode_and_sample(pair):
            i, row = pair
            if i % every == 0 and len(sample) < args.lookups:
                sample.append(row)
            return encode(row)

        print(f"load {n:,} customers without encryption: {t_plain:.1f} s = {n / t_plain:,.0f} rows/s", flush=True)
        with transaction.atomic():
            started = time.perf_counter()
            copy_rows(Customer._meta.db_table, enc_columns, map(encode_and_sample, enumerate(rows())))
            t_enc = time.perf_counter() - started
        print(f"load {n:,} customers with encryption:    {t_enc:.1f} s = {n / t_enc:,.0f} rows/s "
              f"(+{(t_enc / t_plain - 1) * 100:.0f} %)", flush=True)
        with connection.cursor() as cur:
            cur.execute(f"ANALYZE customers_customer; ANALYZE {PLAIN}")
            cur.execute("SELECT pg_total_relation_size('customers_customer'), pg_total_relation_size(%s)", [PLAIN])
            enc_size, plain_size = cur.fetchone()
        print(f"table + indexes: encrypted {enc_size / 2**20:,.0f} MiB, clear {plain_size / 2**20:,.0f} MiB", flush=True)

        rng = random.Random(5)
        it = iter(range(10**9))

        def by_id():
            row = sample[next(it) % len(sample)]
            assert customer_by_exact_identifier(centers=[center], id_number=row[5]) is not None

        def by_mobile():
            row = sample[next(it) % len(sample)]
            customer_by_exact_identifier(centers=[center], mobile=row[6])

        def plain_by_id():
            row = sample[next(it) % len(sample)]
            with connection.cursor() as cur:
                cur.execute(f"SELECT id, name FROM {PLAIN} WHERE center_id = %s AND id_type = %s AND id_number_bidx = %s",
                            [center.pk, "id_card", row[5]])
                assert cur.fetchall()

        tails = [f"{rng.randint(0, 9999):04d}" for _ in range(args.lookups)]

        def tail_search():
            page = list(customer_list(head, q=tails[next(it) % len(tails)])[:50])
            for c in page:
                c.mobile  # noqa: B018  (decrypted as the page shows it masked)

        def plain_tail_trigram():
            with connection.cursor() as cur:
                cur.execute(f"SELECT id, name, mobile FROM {PLAIN} WHERE center_id = %s AND mobile LIKE %s "
                            "ORDER BY aum_avg DESC, id LIMIT 50", [center.pk, "%" + tails[next(it) % len(tails)]])
                cur.fetchall()

        results = {
            "exact by ID number (blind index)": timed(by_id, args.lookups),
            "exact by mobile (blind index)": timed(by_mobile, args.lookups),
            "exact by ID number, clear copy (btree on clear value)": timed(plain_by_id, args.lookups),
            "tail search, first page of 50 (mobile_tail)": timed(tail_search, args.lookups // 3),
        }
        started = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cur.execute(f"CREATE INDEX bench_plain_mobile_trgm ON {PLAIN} USING gin (mobile gin_trgm_ops)")
            cur.execute(f"ANALYZE {PLAIN}")
        print(f"(trigram index on the clear mobile for the comparison: built in {time.perf_counter() - started:.1f} s)")
        results["tail search before: mobile LIKE '%1234' + trigram, clear copy"] = timed(plain_tail_trigram,
                                                                                           args.lookups // 3)
        with connection.cursor() as cur:
            cur.execute("EXPLAIN SELECT id FROM customers_customer WHERE mobile_bidx = %s", [encode(sample[0])[19]])
            plan = " / ".join(r[0].strip() for r in cur.fetchall()[:2])
        print(f"plan of the mobile lookup: {plan}")
        print("| query | p50 ms | p95 ms |")
        print("|---|---|---|")
        for name, (p50, p95) in results.items():
            print(f"| {name} | {p50:.2f} | {p95:.2f} |")
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            psql(f"DROP DATABASE IF EXISTS {DB}")


if __name__ == "__main__":
    main()
