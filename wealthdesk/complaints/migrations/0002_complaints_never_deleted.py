"""On PostgreSQL, refuse DELETE and TRUNCATE of complaints_complaint below the ORM (a status instead of a hard delete).
The trigger functions are created by core 0005."""
from django.db import migrations

CREATE = """
DROP TRIGGER IF EXISTS wd_no_delete ON complaints_complaint;
CREATE TRIGGER wd_no_delete BEFORE DELETE ON complaints_complaint FOR EACH ROW EXECUTE FUNCTION wd_refuse_delete();
DROP TRIGGER IF EXISTS wd_no_truncate ON complaints_complaint;
CREATE TRIGGER wd_no_truncate BEFORE TRUNCATE ON complaints_complaint FOR EACH STATEMENT EXECUTE FUNCTION wd_refuse_truncate();
"""
DROP = """
DROP TRIGGER IF EXISTS wd_no_delete ON complaints_complaint;
DROP TRIGGER IF EXISTS wd_no_truncate ON complaints_complaint;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial"), ("core", "0005_audit_refuses_truncate")]
    operations = [migrations.RunPython(forwards, backwards)]
