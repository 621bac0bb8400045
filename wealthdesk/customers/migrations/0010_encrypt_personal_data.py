"""Issue 15: ID number, mobile and address encrypted at rest, with blind indexes and the mobile's tail.

An existing install upgrades in place: the columns become ``text``, every row is encrypted in batches under the
current key of ``WD_FIELD_KEYS`` and its ``id_number_bidx`` / ``mobile_bidx`` / ``mobile_tail`` are filled
(``core.field_batches``); then the uniqueness moves onto (id_type, id_number_bidx) and the indexes are built.
The trigram index on the mobile (migration 0009) goes: a trigram index over ciphertext finds nothing, and the
search by the last four digits uses ``mobile_tail``. The way back decrypts.
"""
from django.db import migrations, models

import wealthdesk.core.fields
import wealthdesk.core.validators
from wealthdesk.core.field_batches import encrypt_rows_operation


def drop_mobile_trigram(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS customer_mobile_trgm_idx")


def add_mobile_trigram(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE INDEX IF NOT EXISTS customer_mobile_trgm_idx ON customers_customer "
                              "USING gin (mobile gin_trgm_ops)")


class Migration(migrations.Migration):

    dependencies = [
        ("customers", "0009_customer_search_trigram"),
    ]

    operations = [
        migrations.RunPython(drop_mobile_trigram, add_mobile_trigram),
        migrations.RemoveConstraint(model_name="customer", name="customer_id_type_number_uniq"),
        migrations.AddField(
            model_name="customer", name="id_number_bidx",
            field=wealthdesk.core.fields.BlindIndexField(kind="id_number", source="id_number",
                                                         verbose_name="证件号码检索索引"),
        ),
        migrations.AddField(
            model_name="customer", name="mobile_bidx",
            field=wealthdesk.core.fields.BlindIndexField(kind="mobile", source="mobile", verbose_name="手机号检索索引"),
        ),
        migrations.AddField(
            model_name="customer", name="mobile_tail",
            field=wealthdesk.core.fields.MobileTailField(source="mobile", verbose_name="手机尾号"),
        ),
        migrations.AlterField(
            model_name="customer", name="id_number",
            field=wealthdesk.core.fields.EncryptedCharField(max_length=32, verbose_name="证件号码"),
        ),
        migrations.AlterField(
            model_name="customer", name="mobile",
            field=wealthdesk.core.fields.EncryptedCharField(blank=True, max_length=11, verbose_name="手机号",
                                                            validators=[wealthdesk.core.validators.validate_mobile]),
        ),
        migrations.AlterField(
            model_name="customer", name="address",
            field=wealthdesk.core.fields.EncryptedCharField(blank=True, max_length=200, verbose_name="地址"),
        ),
        encrypt_rows_operation("customers", "Customer"),
        migrations.AlterField(
            model_name="customer", name="mobile_bidx",
            field=wealthdesk.core.fields.BlindIndexField(db_index=True, kind="mobile", source="mobile",
                                                         verbose_name="手机号检索索引"),
        ),
        migrations.AlterField(
            model_name="customer", name="mobile_tail",
            field=wealthdesk.core.fields.MobileTailField(db_index=True, source="mobile", verbose_name="手机尾号"),
        ),
        migrations.AddConstraint(
            model_name="customer",
            constraint=models.UniqueConstraint(fields=("id_type", "id_number_bidx"), name="customer_id_type_number_uniq"),
        ),
    ]
