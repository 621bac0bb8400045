"""Reports read from a real PostgreSQL streaming replica; writes go to the primary (issue 16).

``.ci/run`` starts a hot standby of the CI cluster on port 5433 (``.ci/replica.sh``) and sets
``DATABASE_REPLICA_URL`` for the PostgreSQL run. The test database pytest creates on the primary is replicated
to the standby like any other; the test points the ``replica`` alias at it and switches the routing on."""
import os
import time

import environ
import pytest
from django.db import connections
from django.test import override_settings
from django.urls import reverse

from wealthdesk.complaints.tests.helpers import record
from wealthdesk.core.audit import AuditAction, audit_row
from wealthdesk.core.db_router import REPLICA, ReplicaRouter, replica_reads
from wealthdesk.core.models import AuditLog
from wealthdesk.customers.models import Customer

REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", REPLICA]),
    pytest.mark.skipif(not REPLICA_URL, reason="no PostgreSQL replica configured (DATABASE_REPLICA_URL)"),
]


@pytest.fixture
def standby():
    """The ``replica`` alias connected to the real standby's copy of the test database."""
    conn = connections[REPLICA]
    saved = dict(conn.settings_dict)
    real = environ.Env.db_url_config(REPLICA_URL)
    _wait_for_database_on_standby(real, connections["default"].settings_dict["NAME"])
    conn.close()
    conn.settings_dict.update({k: real[k] for k in ("HOST", "PORT", "USER", "PASSWORD")})
    conn.settings_dict["NAME"] = connections["default"].settings_dict["NAME"]
    conn.settings_dict["OPTIONS"] = {}
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            assert cursor.fetchone()[0] is True, "the replica alias must be a standby"
        with override_settings(WD_REPLICA_READS=True):
            yield conn
    finally:
        conn.close()
        conn.settings_dict.clear()
        conn.settings_dict.update(saved)


def _wait_for_database_on_standby(real: dict, name: str, seconds: float = 120) -> None:
    """The test database was created on the primary moments ago; a busy standby may still be replaying it."""
    import psycopg

    deadline = time.monotonic() + seconds
    dsn = {"host": real["HOST"], "port": real["PORT"] or 5432, "user": real["USER"], "dbname": "postgres"}
    while time.monotonic() < deadline:
        with psycopg.connect(**dsn, password=real["PASSWORD"] or None, autocommit=True) as probe:
            if probe.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                return
        time.sleep(0.5)
    raise AssertionError(f"the standby has not replayed the creation of {name}: is it still streaming?")


def _replayed(count_on_primary: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with replica_reads():
            if Customer.objects.count() == count_on_primary:
                return
        time.sleep(0.1)
    raise AssertionError("the standby did not replay the primary's writes in time")


def test_statistics_read_from_the_standby_and_writes_go_to_the_primary(world, standby, login_as):
    assert ReplicaRouter().db_for_read(Customer) is None  # outside a report, reads stay on the primary
    with replica_reads():
        assert ReplicaRouter().db_for_read(Customer) == REPLICA
    record(world)  # a write: on the primary (the standby is read-only and would refuse it)
    _replayed(Customer.objects.count())
    before = len(standby.queries_log) if standby.queries_log else 0
    standby.force_debug_cursor = True
    try:
        response = login_as("head_c1").get(reverse("complaints:stats_monthly"))
        assert response.status_code == 200
        read_on_standby = [q["sql"] for q in list(standby.queries_log)[before:]]
    finally:
        standby.force_debug_cursor = False
    assert any("complaints_complaint" in sql for sql in read_on_standby), read_on_standby
    assert not any(sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) for sql in read_on_standby)
    # inside a report's context a write (the export's audit row) still goes to the primary
    with replica_reads():
        audit_row(actor=world.head_c1, action=AuditAction.EXPORT, detail={"probe": "replica"}).save()
    assert AuditLog.objects.using("default").filter(detail__probe="replica").count() == 1
