"""20 real threads submit the same report at once on PostgreSQL: exactly one wins (select_for_update)."""
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from wealthdesk.core.submission import SubmissionEvent, submission_submit
from wealthdesk.reports.models import Report

from .helpers import monthly

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_twenty_threads_submit_once(world):
    report = monthly(world)
    barrier = threading.Barrier(20)
    wins, refusals, errors = [], [], []

    def worker():
        try:
            barrier.wait()
            submission_submit(actor=world.cm_c1_1, report=Report.objects.get(pk=report.pk))
            wins.append(1)
        except ValidationError:
            refusals.append(1)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(wins) == 1 and len(refusals) == 19
    report.refresh_from_db()
    assert report.submission_count == 1
    assert SubmissionEvent.objects.filter(object_id=report.pk, action="submit").count() == 1
