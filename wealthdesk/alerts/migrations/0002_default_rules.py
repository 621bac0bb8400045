"""Default alert rules (R6, R7): single outflow by tier, cumulative net outflow, transfer to another bank,
tier downgrade. Head office edits them afterwards; the scan re-creates any that are missing."""
from django.db import migrations


def create_defaults(apps, schema_editor):
    from wealthdesk.alerts.rules import ensure_default_rules

    ensure_default_rules(apps.get_model("alerts", "AlertRule"))


class Migration(migrations.Migration):
    dependencies = [("alerts", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
