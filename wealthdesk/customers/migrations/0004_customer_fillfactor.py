"""PostgreSQL: leave room in each page of the customer table so the daily AUM refresh (aum, aum_avg, aum_as_of,
none of them indexed) is a HOT update — no index touched, a fraction of the WAL."""
from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE customers_customer SET (fillfactor = 80)", params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE customers_customer RESET (fillfactor)", params=None)


class Migration(migrations.Migration):
    dependencies = [("customers", "0003_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
