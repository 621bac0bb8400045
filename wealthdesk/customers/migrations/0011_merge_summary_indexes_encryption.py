from django.db import migrations


class Migration(migrations.Migration):
    """Joins three independent steps of issues 15 and 16: the count summary, the list-order indexes and the
    encryption of personal data at rest."""

    dependencies = [
        ("customers", "0010_customer_count_summary"),
        ("customers", "0010_encrypt_personal_data"),
        ("customers", "0010_list_order_indexes"),
    ]

    operations = []
