"""Issue 15: 8 threads × 500 audit inserts at once on PostgreSQL leave one unbroken chain (no fork, no gap)."""
import threading

import pytest
from django.db import connections

from wealthdesk.core.audit import audit_many, audit_record
from wealthdesk.core.models import AuditAction, AuditLog
from wealthdesk.core.testing.races import requires_postgres
from wealthdesk.security.audit_tools import verify_chain

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]

THREADS, INSERTS = 8, 500


def test_eight_writers_never_fork_the_chain(world):
    before = AuditLog.objects.count()
    barrier = threading.Barrier(THREADS)
    errors = []

    def writer(n):
        try:
            barrier.wait(30)
            for i in range(INSERTS):
                if i % 100 == 99:  # some batches too (audit_many: one INSERT for many rows)
                    audit_many(actor=world.cm_c1_1, action=AuditAction.EXPORT, objects=[world.cm_c1_1])
                else:
                    audit_record(actor=world.cm_c1_1, action=AuditAction.VIEW, detail={"thread": n, "i": i})
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert not errors, errors[:3]
    assert AuditLog.objects.count() == before + THREADS * INSERTS
    report = verify_chain(stop_at_first=False)
    assert report.ok, report.problems[:3]
    assert report.last_seq == before + THREADS * INSERTS
