"""Trigram indexes for the customer search on PostgreSQL (issue 16).

The customer list searches ``name LIKE '%…%'`` (``name__contains``) and ``mobile LIKE '%1234'``
(``mobile__endswith``, the last four digits); a btree cannot answer either, a GIN trigram index can. The indexes
exist on PostgreSQL only and are kept out of the model state on purpose: SQLite has no GIN, and a table remake
there would try to rebuild them from the state. Neither column is rewritten by the daily AUM refresh, so the
refresh's updates stay HOT (fillfactor, migration 0004).
"""
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    GinIndex(fields=["name"], name="customer_name_trgm_idx", opclasses=["gin_trgm_ops"]),
    GinIndex(fields=["mobile"], name="customer_mobile_trgm_idx", opclasses=["gin_trgm_ops"]),
]


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    customer = apps.get_model("customers", "Customer")
    for index in INDEXES:
        schema_editor.add_index(customer, index)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    customer = apps.get_model("customers", "Customer")
    for index in INDEXES:
        schema_editor.remove_index(customer, index)


class Migration(migrations.Migration):

    dependencies = [
        ("customers", "0008_customer_version_from_core"),
    ]

    operations = [
        TrigramExtension(),  # CREATE EXTENSION IF NOT EXISTS pg_trgm; does nothing on other databases
        migrations.RunPython(add_indexes, remove_indexes),
    ]
