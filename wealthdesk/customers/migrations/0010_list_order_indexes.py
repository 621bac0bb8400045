"""Indexes for the customer list's keyset pages and the short name search (issue 16).

``(aum_avg DESC, id)`` and ``(name, id)`` are the list's sort orders: PostgreSQL walks them to the first or the
200th page at head office without sorting a million rows. ``name text_pattern_ops`` (PostgreSQL only, kept out of
the model state like migration 0009's trigram indexes) answers the one- and two-character name search as a prefix
walk (``name LIKE '张伟%'``): a trigram needs three characters, so ``LIKE '%张伟%'`` scanned the table.
"""
from django.conf import settings
from django.db import migrations, models

PREFIX_INDEX = models.Index(fields=["name"], name="customer_name_prefix_idx", opclasses=["text_pattern_ops"])


def add_prefix_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("customers", "Customer"), PREFIX_INDEX)


def remove_prefix_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("customers", "Customer"), PREFIX_INDEX)


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0009_customer_search_trigram'),
        ('orgs', '0002_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(add_prefix_index, remove_prefix_index),
        migrations.AddIndex(
            model_name='customer',
            index=models.Index(fields=['-aum_avg', 'id'], name='customer_aum_avg_id_idx'),
        ),
        migrations.AddIndex(
            model_name='customer',
            index=models.Index(fields=['name', 'id'], name='customer_name_id_idx'),
        ),
    ]
