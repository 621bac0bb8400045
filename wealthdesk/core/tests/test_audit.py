"""The audit log is append-only and records who saw which customer, from where (DESIGN rule 3, R28)."""
import pytest
from django.db import DatabaseError, connection, transaction

from wealthdesk.core.models import AuditAction, AuditLog

pytestmark = pytest.mark.django_db


def test_opening_a_customer_writes_a_view_row_with_ip_and_request_id(login_as, world):
    client = login_as("cm_c1_1")
    response = client.get(f"/customers/{world.cust_a.pk}/", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    row = AuditLog.objects.get(action=AuditAction.VIEW, customer_id=world.cust_a.pk)
    assert (row.actor_name, row.ip, row.source, row.unit_id) == ("cm_c1_1", "10.1.2.3", "web", world.c1.pk)
    assert row.request_id == response["X-Request-ID"]


def test_an_audit_row_cannot_be_changed_or_deleted_through_the_orm(world):
    row = AuditLog.objects.create(action=AuditAction.VIEW, object_type="x", actor_name="t")
    row.detail = {"changed": True}
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_postgresql_refuses_update_and_delete_on_the_audit_table(world):
    AuditLog.objects.create(action=AuditAction.VIEW, object_type="x", actor_name="t")
    for sql in ("UPDATE core_auditlog SET actor_name = 'x'", "DELETE FROM core_auditlog"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql)
    assert AuditLog.objects.filter(actor_name="t").count() == 1


def test_changes_made_by_a_management_command_are_audited_with_their_source(world, settings):
    settings.LOCAL_APPS = ["wealthdesk.orgs", "wealthdesk.staff", "wealthdesk.customers"]
    from wealthdesk.core import audit

    with audit.audit_context(source="command:test"):
        audit.audit_record(actor=None, action=AuditAction.CHANGE, obj=world.cust_a)
    row = AuditLog.objects.get(action=AuditAction.CHANGE)
    assert row.source == "command:test" and row.customer_id == world.cust_a.pk and row.unit_id == world.c1.pk


def test_the_audit_page_is_scoped_to_the_heads_center(login_as, world):
    login_as("cm_c1_1").get(f"/customers/{world.cust_a.pk}/")
    login_as("cm_c2_1").get(f"/customers/{world.cust_b.pk}/")
    page = login_as("head_c1").get("/core/audit/").content.decode()
    assert "cm_c1_1" in page and "cm_c2_1" not in page
    page = login_as("auditor").get("/core/audit/").content.decode()
    assert "cm_c1_1" in page and "cm_c2_1" in page


def test_rows_written_by_an_audited_command_carry_the_command_name(world):
    from wealthdesk.core.audit import audit_record
    from wealthdesk.core.commands import AuditedCommand

    class Command(AuditedCommand):
        def handle(self, *args, **options):
            audit_record(actor=None, action=AuditAction.CHANGE, obj=world.cust_a, detail={"by": "cron"})

    Command().execute(no_color=True, stdout=None, stderr=None, force_color=False, skip_checks=True)
    row = AuditLog.objects.get(action=AuditAction.CHANGE)
    assert row.source == "command:test_audit" and row.actor_name == "command:test_audit"
