"""On PostgreSQL, refuse DELETE and TRUNCATE of customers_customer below the ORM (a status instead of a hard delete).
The trigger functions are created by core 0005."""
from django.db import migrations

CREATE = """
DROP TRIGGER IF EXISTS wd_no_delete ON customers_customer;
CREATE TRIGGER wd_no_delete BEFORE DELETE ON customers_customer FOR EACH ROW EXECUTE FUNCTION wd_refuse_delete();
DROP TRIGGER IF EXISTS wd_no_truncate ON customers_customer;
CREATE TRIGGER wd_no_truncate BEFORE TRUNCATE ON customers_customer FOR EACH STATEMENT EXECUTE FUNCTION wd_refuse_truncate();
"""
DROP = """
DROP TRIGGER IF EXISTS wd_no_delete ON customers_customer;
DROP TRIGGER IF EXISTS wd_no_truncate ON customers_customer;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("customers", "0005_fewer_customer_indexes"), ("core", "0005_audit_refuses_truncate")]
    operations = [migrations.RunPython(forwards, backwards)]
