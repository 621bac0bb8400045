"""On PostgreSQL the audit log also refuses TRUNCATE (0003 refuses UPDATE and DELETE), and a shared trigger
function refuses hard deletes of records that are never deleted (customers, complaints: a status instead).

The test runner's flush empties tables with TRUNCATE: the test settings open their connections with
``wealthdesk.allow_truncate=on`` (a session setting nothing else sets). In production the application's role
has no TRUNCATE privilege at all (docs/security.md, "Audit log integrity")."""
from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION wd_refuse_truncate() RETURNS trigger AS $$
BEGIN
  IF coalesce(current_setting('wealthdesk.allow_truncate', true), '') = 'on' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION '%: TRUNCATE refused (append-only / never deleted)', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION wd_refuse_delete() RETURNS trigger AS $$
BEGIN
  IF coalesce(current_setting('wealthdesk.allow_delete', true), '') = 'on' THEN
    RETURN OLD;  -- core.audit.audited_delete: an import batch's rollback, audited
  END IF;
  RAISE EXCEPTION '%: rows are never deleted, set their status instead', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS wd_audit_no_truncate ON core_auditlog;
CREATE TRIGGER wd_audit_no_truncate BEFORE TRUNCATE ON core_auditlog
  FOR EACH STATEMENT EXECUTE FUNCTION wd_refuse_truncate();
"""
DROP = """
DROP TRIGGER IF EXISTS wd_audit_no_truncate ON core_auditlog;
DROP FUNCTION IF EXISTS wd_refuse_truncate() CASCADE;
DROP FUNCTION IF EXISTS wd_refuse_delete() CASCADE;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_audit_staff_and_access_actions")]
    operations = [migrations.RunPython(forwards, backwards)]
