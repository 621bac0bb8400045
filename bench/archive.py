"""Benchmark: the customer archive with encryption (R28, R29), PostgreSQL.

    .venv/bin/python bench/archive.py [--customers 100000] [--documents 20000] [--doc-kb 20] [--keep]

Creates the throw-away database ``wealthdesk_bench_archive`` on 127.0.0.1:5432 (user postgres), migrates it,
builds set-based: one center with its head, keeper and 20 client managers, N customers (INSERT … SELECT
generate_series), D documents of ``--doc-kb`` KB each encrypted in Python (AES-256-GCM, as on upload) and loaded
with ``bulk_create`` in batches, N/5 paper files with a tenth checked out (half of those overdue), then ANALYZE,
and times what the pages do: the keeper's and a client manager's first document page, the paper files overdue
list and counts, the departures list after one manager is deactivated, one upload and one download of a 10 MB
file through the services. Prints each figure.
"""
import argparse
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DB = "wealthdesk_bench_archive"
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"


def psql(sql: str, db: str = "postgres") -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-q", "-c", sql], check=True)


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wealthdesk.config.settings.base")
    import django

    django.setup()


def build(n: int, docs: int, doc_kb: int):
    from django.db import connection

    from wealthdesk.archive import crypto
    from wealthdesk.archive.demo_files import tiny_pdf
    from wealthdesk.archive.models import ArchiveDocument
    from wealthdesk.core.roles import Role
    from wealthdesk.orgs.choices import UnitKind
    from wealthdesk.orgs.models import OrgUnit
    from wealthdesk.staff.models import StaffRole, User

    hq = OrgUnit.objects.create(code="HO", name="总行", kind=UnitKind.HEAD_OFFICE)
    branch = OrgUnit.objects.create(code="B1", name="分行", kind=UnitKind.BRANCH1, parent=hq)
    sub = OrgUnit.objects.create(code="S1", name="支行", kind=UnitKind.SUBBRANCH, parent=branch)
    center = OrgUnit.objects.create(code="C1", name="理财中心", kind=UnitKind.CENTER, parent=sub)
    people = {}
    for name, role in (("head", Role.CENTER_HEAD), ("keeper", Role.ARCHIVE_KEEPER)):
        people[name] = User.objects.create(username=name, full_name=name, unit=center)
        StaffRole.objects.create(user=people[name], role=role)
    cms = []
    for i in range(20):
        u = User.objects.create(username=f"cm{i}", full_name=f"客户经理{i}", unit=center)
        StaffRole.objects.create(user=u, role=Role.CLIENT_MANAGER)
        cms.append(u)
    cm_array = "ARRAY[" + ",".join(str(u.pk) for u in cms) + "]"
    t = {}
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(f"""
            INSERT INTO customers_customer (cif_no, name, gender, birth_date, id_type, id_number, id_number_bidx, mobile, address,
                occupation, tier, risk_level, client_manager_id, center_id, status, aum, aum_avg, aum_as_of, version,
                created_at, updated_at)
            SELECT 'B' || lpad(g::text, 11, '0'), '客户' || g, 'M', DATE '1970-01-01', 'id_card', '', md5('BID' || g), '', '',
                   '', 'premium', 'C3', ({cm_array})[1 + g % 20], {center.pk}, 'active', 0, 0, DATE '2026-11-27', 1, now(), now()
            FROM generate_series(1, {n}) AS g""")
        t["customers"] = time.perf_counter() - started
    from wealthdesk.customers.models import Customer

    ids = list(Customer.objects.order_by("id").values_list("id", flat=True))
    base = tiny_pdf("bench")
    payload = base + b"%" + os.urandom(max(0, doc_kb * 1024 - len(base) - 1))
    digest = hashlib.sha256(payload).hexdigest()
    key, kid = crypto.current_key(), crypto.key_id()
    started = time.perf_counter()
    encrypt_s = 0.0
    batch = []
    for i in range(docs):
        cid = ids[(i * 7) % len(ids)]
        e0 = time.perf_counter()
        blob = crypto.encrypt(payload, customer_id=cid, key=key)
        encrypt_s += time.perf_counter() - e0
        batch.append(ArchiveDocument(customer_id=cid, doc_type="signed_form", title="申请书", file_kind="pdf",
                                     content_type="application/pdf", size=len(payload), sha256=digest, key_id=kid,
                                     content=blob, uploaded_by=cms[i % 20], created_by=cms[i % 20]))
        if len(batch) == 500:
            ArchiveDocument.objects.bulk_create(batch)
            batch = []
    ArchiveDocument.objects.bulk_create(batch)
    t["documents"], t["encrypt"] = time.perf_counter() - started, encrypt_s
    keeper = people["keeper"]
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(f"""
            INSERT INTO archive_paperfile (customer_id, center_id, reference, description, location, status, holder_id,
                out_since, due_back_on, purpose, version, created_at, updated_at, created_by_id)
            SELECT c.id, {center.pk}, 'ZD-' || c.id, '', '', CASE WHEN c.id % 10 = 0 THEN 'out' ELSE 'in' END,
                   CASE WHEN c.id % 10 = 0 THEN c.client_manager_id END,
                   CASE WHEN c.id % 10 = 0 THEN now() - INTERVAL '10 days' END,
                   CASE WHEN c.id % 20 = 0 THEN CURRENT_DATE - 3 WHEN c.id % 10 = 0 THEN CURRENT_DATE + 3 END,
                   '', 1, now(), now(), {keeper.pk}
            FROM customers_customer c WHERE c.id % 5 = 0""")
        cursor.execute(f"""
            INSERT INTO archive_papercheckout (paper_file_id, center_id, holder_id, out_at, due_back_on, purpose,
                checked_out_by_id, created_at, updated_at)
            SELECT id, center_id, holder_id, out_since, due_back_on, '调阅', {keeper.pk}, now(), now()
            FROM archive_paperfile WHERE status = 'out'""")
        t["paper"] = time.perf_counter() - started
        cursor.execute("ANALYZE")
    return people, cms, t


def timed(label, fn, repeat=3):
    best = None
    for _ in range(repeat):
        started = time.perf_counter()
        value = fn()
        took = time.perf_counter() - started
        best = took if best is None else min(best, took)
    print(f"{label}: {best * 1000:.0f} ms (best of {repeat}) → {value}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--doc-kb", type=int, default=20)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    psql(f"DROP DATABASE IF EXISTS {DB}")
    psql(f"CREATE DATABASE {DB}")
    try:
        setup_django()
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.core.management import call_command
        from django.db import connection
        from django.utils import timezone

        from wealthdesk.archive import selectors, services
        from wealthdesk.archive.demo_files import tiny_pdf
        from wealthdesk.customers.models import Customer
        from wealthdesk.staff.models import User

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrated in {time.perf_counter() - started:.1f} s", flush=True)
        people, cms, t = build(args.customers, args.documents, args.doc_kb)
        mb = args.documents * args.doc_kb / 1024
        print(f"built {args.customers:,} customers in {t['customers']:.1f} s; {args.documents:,} documents of "
              f"{args.doc_kb} KB ({mb:,.0f} MB) in {t['documents']:.1f} s, of which AES-GCM encryption "
              f"{t['encrypt']:.1f} s ({mb / max(t['encrypt'], 1e-9):,.0f} MB/s); paper files in {t['paper']:.1f} s",
              flush=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('archive_archivedocument'))")
            print(f"archive_archivedocument on disk: {cursor.fetchone()[0]}", flush=True)
        keeper, head, cm = people["keeper"], people["head"], cms[0]
        today = timezone.localdate()
        timed("keeper: first documents page (25 rows)",
              lambda: len(list(selectors.document_list(keeper)[:25])))
        timed("keeper: documents count (paginator)", lambda: selectors.document_list(keeper).count())
        timed("client manager: first documents page", lambda: len(list(selectors.document_list(cm)[:25])))
        timed("head: paper files out / overdue counts", lambda: selectors.custody_counts(head, today))
        timed("head: first overdue page", lambda: len(list(selectors.paper_file_list(head, overdue=True,
                                                                                      today=today)[:25])))
        User.objects.filter(pk=cms[1].pk).update(is_active=False)
        keeper = User.objects.get(pk=keeper.pk)

        def departures():
            inactive, handed = selectors.departed_without_material(keeper, today)
            return inactive.count(), len(list(inactive[:25]))

        timed("keeper: departures (deactivated manager, customers without material)", departures)
        big = tiny_pdf("big") + b"%" + os.urandom(10 * 1024 * 1024 - 200)
        customer = Customer.objects.filter(client_manager=cm).first()
        started = time.perf_counter()
        doc = services.document_upload(actor=cm, customer=customer, doc_type="contract", title="合同",
                                       upload=SimpleUploadedFile("c.pdf", big[:10 * 1024 * 1024]))
        print(f"upload of a 10 MB PDF (sniff, SHA-256, encrypt, insert, audit): "
              f"{(time.perf_counter() - started) * 1000:.0f} ms", flush=True)
        timed("download of that 10 MB PDF (read, decrypt, verify, audit)",
              lambda: len(services.document_open(actor=cm, document=doc)))
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            psql(f"DROP DATABASE IF EXISTS {DB}")


if __name__ == "__main__":
    main()
