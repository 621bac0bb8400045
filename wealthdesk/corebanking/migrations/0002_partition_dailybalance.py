"""Partition corebanking_dailybalance by month on PostgreSQL (declarative range partitioning on as_of)."""
from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from wealthdesk.corebanking.partitions import CREATE_PARTITIONED

    schema_editor.execute(CREATE_PARTITIONED)


class Migration(migrations.Migration):
    dependencies = [("corebanking", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
