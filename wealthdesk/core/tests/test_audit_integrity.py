"""Audit that cannot be bypassed: bulk changes of customer data are audited, customers and complaints are never
hard-deleted, and on PostgreSQL the audit log refuses UPDATE/DELETE/TRUNCATE even from SQL, while an
application role limited to INSERT and SELECT cannot tamper with it or switch its triggers off."""
import pytest
from django.db import DatabaseError, connection, transaction

from wealthdesk.core.audit import audited_update
from wealthdesk.core.models import AuditAction, AuditLog
from wealthdesk.customers.choices import CustomerStatus
from wealthdesk.customers.models import Customer

pytestmark = pytest.mark.django_db
pg_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL triggers and roles")


def test_a_bulk_update_of_customers_outside_the_audited_helper_is_refused(world):
    with pytest.raises(PermissionError):
        Customer.objects.filter(center=world.c1).update(status=CustomerStatus.DORMANT)
    assert not Customer.objects.filter(status=CustomerStatus.DORMANT).exists()


def test_the_audited_helper_writes_one_row_per_batch(world):
    before = AuditLog.objects.count()
    n = audited_update(Customer.objects.filter(center=world.c1), actor=world.head_c1, what="dormant sweep",
                       status=CustomerStatus.DORMANT)
    assert n == 2
    assert AuditLog.objects.count() == before + 1
    row = AuditLog.objects.latest("id")
    assert row.action == AuditAction.CHANGE and row.object_type == "customers.customer"
    assert row.detail == {"what": "dormant sweep", "rows": 2, "fields": ["status"]} and row.actor == world.head_c1


def test_customers_and_complaints_are_never_deleted_through_the_orm(world):
    from wealthdesk.complaints.models import Complaint
    from wealthdesk.complaints.tests.helpers import c1_complaint

    complaint = c1_complaint(world)
    with pytest.raises(PermissionError):
        world.cust_a.delete()
    with pytest.raises(PermissionError):
        Customer.objects.filter(pk=world.cust_a.pk).delete()
    with pytest.raises(PermissionError):
        complaint.delete()
    with pytest.raises(PermissionError):
        Complaint.objects.all().delete()
    assert Customer.objects.filter(pk=world.cust_a.pk).exists() and Complaint.objects.filter(pk=complaint.pk).exists()


def test_the_tier_recompute_still_works_and_is_audited_once(world):
    import datetime as dt
    from decimal import Decimal

    from wealthdesk.corebanking.services import tiers_recompute
    from wealthdesk.customers.choices import Tier

    as_of = dt.date(2026, 11, 20)
    audited_update(Customer.objects.all(), actor=None, what="test set-up", aum_as_of=as_of, aum_avg=Decimal("10"))
    before = AuditLog.objects.count()
    tiers_recompute(as_of=as_of, actor=world.head_c1)
    assert set(Customer.objects.values_list("tier", flat=True)) == {Tier.ORDINARY}
    rows = list(AuditLog.objects.filter(id__gt=0).order_by("id"))[before:]
    assert len(rows) == 1 and rows[0].detail["what"] == "tiers_recompute" and rows[0].detail["rows"] == 3


def _refused(sql, params=None):
    with pytest.raises(DatabaseError):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL wealthdesk.allow_truncate = 'off'")
            cursor.execute(sql, params)


@pg_only
def test_on_postgresql_the_audit_log_refuses_truncate_update_and_delete(world):
    from wealthdesk.core.audit import audit_record

    audit_record(actor=world.head_c1, action=AuditAction.VIEW, obj=world.cust_a)
    _refused("TRUNCATE core_auditlog")
    _refused("UPDATE core_auditlog SET actor_name = 'x'")
    _refused("DELETE FROM core_auditlog")
    assert AuditLog.objects.filter(customer_id=world.cust_a.pk).exists()


@pg_only
def test_on_postgresql_customers_and_complaints_refuse_delete_below_the_orm(world):
    from wealthdesk.complaints.tests.helpers import c1_complaint

    c1_complaint(world)
    _refused("DELETE FROM customers_customer WHERE id = %s", [world.cust_b.pk])
    _refused("TRUNCATE customers_customer CASCADE")
    _refused("DELETE FROM complaints_complaint")
    assert Customer.objects.filter(pk=world.cust_b.pk).exists()


@pg_only
def test_on_postgresql_an_insert_and_select_role_cannot_tamper_with_the_audit_log(world):
    """The production set-up of docs/security.md: the app connects as a role that may only INSERT and SELECT on
    the audit table; the migrations run as the owner."""
    from wealthdesk.core.audit import audit_record

    audit_record(actor=world.head_c1, action=AuditAction.VIEW, obj=world.cust_a)
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE wd_app_probe NOLOGIN")  # rolled back with the test's transaction
        cursor.execute("GRANT USAGE ON SCHEMA public TO wd_app_probe")
        cursor.execute("GRANT SELECT, INSERT ON core_auditlog TO wd_app_probe")
        cursor.execute("GRANT USAGE ON SEQUENCE core_auditlog_id_seq TO wd_app_probe")
    for sql in ("UPDATE core_auditlog SET actor_name = 'x'", "DELETE FROM core_auditlog", "TRUNCATE core_auditlog",
                "ALTER TABLE core_auditlog DISABLE TRIGGER wd_audit_no_change",
                "ALTER TABLE core_auditlog DISABLE TRIGGER ALL", "DROP TRIGGER wd_audit_no_truncate ON core_auditlog"):
        with pytest.raises(DatabaseError):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL ROLE wd_app_probe")
                cursor.execute("SET LOCAL wealthdesk.allow_truncate = 'on'")  # no help without the privilege
                cursor.execute(sql)
    with transaction.atomic(), connection.cursor() as cursor:  # what the application needs still works
        cursor.execute("SET LOCAL ROLE wd_app_probe")
        cursor.execute("INSERT INTO core_auditlog (at, actor_name, action, object_type, object_id, object_repr, "
                       "request_id, source, detail) VALUES (now(), 'probe', 'view', 't', '1', '', '', 'web', '{}')")
        cursor.execute("SELECT count(*) FROM core_auditlog")
        assert cursor.fetchone()[0] >= 2
