"""On PostgreSQL, refuse UPDATE and DELETE on the audit log at the database level (append-only).

TRUNCATE stays possible for the DBA (and for the test runner's flush); no page or endpoint issues it.
"""
from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION wd_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'core_auditlog is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS wd_audit_no_change ON core_auditlog;
CREATE TRIGGER wd_audit_no_change BEFORE UPDATE OR DELETE ON core_auditlog
  FOR EACH ROW EXECUTE FUNCTION wd_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS wd_audit_no_change ON core_auditlog;
DROP FUNCTION IF EXISTS wd_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
