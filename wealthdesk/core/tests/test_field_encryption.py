"""Issue 15: ID numbers, mobiles and addresses encrypted at rest (AES-256-GCM, key ring), blind indexes for the
exact searches, the mobile's tail for the list search, key rotation and re-indexing in batches (R28)."""
import base64
import io
import os

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from wealthdesk.core import fieldcrypto
from wealthdesk.core.field_batches import process_table
from wealthdesk.core.fields import copy_encoder
from wealthdesk.customers.models import Customer
from wealthdesk.customers.selectors import customer_by_exact_identifier, customer_list

NEW_KEY = base64.urlsafe_b64encode(b"rotation-test-new-field-key-32b!").decode()
OTHER_INDEX_KEY = base64.urlsafe_b64encode(b"rotation-test-other-index-key-32").decode()


def stored(customer, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM customers_customer WHERE id = %s", [customer.pk])
        return cursor.fetchone()[0]


def rotated_ring(settings_obj):
    return f"new:{NEW_KEY},{settings_obj.WD_FIELD_KEYS}"


@pytest.mark.django_db
def test_id_number_mobile_and_address_are_stored_encrypted_and_read_back_clear(world):
    cust = world.cust_a
    for column, clear in (("id_number", cust.id_number), ("mobile", cust.mobile), ("address", cust.address)):
        raw = stored(cust, column)
        assert clear not in raw and raw.startswith(fieldcrypto.current_key_id() + ":")
    fresh = Customer.objects.get(pk=cust.pk)
    assert (fresh.id_number, fresh.mobile) == (cust.id_number, cust.mobile)
    assert fresh.address == "北京市朝阳区建国路88号3栋1201室"
    assert stored(cust, "mobile_tail") == cust.mobile[-4:]
    assert stored(cust, "mobile_bidx") == fieldcrypto.blind_index("mobile", cust.mobile)


@pytest.mark.django_db
def test_two_customers_with_the_same_value_get_different_ciphertexts_but_the_same_index(world):
    value = fieldcrypto.encrypt_value("13800000001", "customers.Customer.mobile")
    assert value != fieldcrypto.encrypt_value("13800000001", "customers.Customer.mobile")
    assert fieldcrypto.blind_index("mobile", "138 0000 0001") == fieldcrypto.blind_index("mobile", "13800000001")
    assert fieldcrypto.blind_index("id_number", " 11010519491231002x") == \
        fieldcrypto.blind_index("id_number", "11010519491231002X")
    assert fieldcrypto.blind_index("mobile", "13800000001") != fieldcrypto.blind_index("id_number", "13800000001")


def test_a_value_moved_to_another_column_or_tampered_or_under_an_unknown_key_does_not_decrypt():
    value = fieldcrypto.encrypt_value("13800000001", "customers.Customer.mobile")
    assert fieldcrypto.decrypt_value(value, "customers.Customer.mobile") == "13800000001"
    with pytest.raises(fieldcrypto.FieldDecryptionError, match="voice.Opinion.contact"):
        fieldcrypto.decrypt_value(value, "voice.Opinion.contact")
    key_id, _sep, payload = value.partition(":")
    blob = bytearray(base64.b64decode(payload))
    blob[-1] ^= 1
    with pytest.raises(fieldcrypto.FieldDecryptionError, match="tampered"):
        fieldcrypto.decrypt_value(f"{key_id}:{base64.b64encode(bytes(blob)).decode()}", "customers.Customer.mobile")
    with pytest.raises(fieldcrypto.FieldDecryptionError, match="not encrypted with a key of WD_FIELD_KEYS"):
        fieldcrypto.decrypt_value("gone:" + payload, "customers.Customer.mobile")


@pytest.mark.django_db
def test_a_wrong_key_gives_a_clear_error_when_the_row_is_read(world, settings):
    settings.WD_FIELD_KEYS = f"demo1:{NEW_KEY}"  # same id, another key
    with pytest.raises(fieldcrypto.FieldDecryptionError, match="customers.Customer.id_number"):
        Customer.objects.get(pk=world.cust_a.pk)


@pytest.mark.parametrize("keys,index,reason", [
    ("", "x", "at least one key"),
    ("k1", "x", "id:base64"),
    ("k 1:abc", "x", "id:base64"),
    (f"k1:{NEW_KEY},k1:{NEW_KEY}", OTHER_INDEX_KEY, "appears twice"),
    ("k1:c2hvcnQ=", OTHER_INDEX_KEY, "WD_FIELD_KEYS \\(k1\\) must be 32 bytes"),
    (f"k1:{NEW_KEY}", "short", "WD_BLIND_INDEX_KEY must be 32 bytes"),
    (f"k1:{NEW_KEY}", NEW_KEY, "must differ"),
])
def test_a_malformed_key_setting_is_a_clear_configuration_error(keys, index, reason):
    with pytest.raises(ImproperlyConfigured, match=reason):
        fieldcrypto.parse_settings(keys, index)


def test_production_settings_refuse_to_start_without_or_with_a_malformed_field_key():
    import subprocess
    import sys

    from django.conf import settings

    from wealthdesk.core.testing.production import PRODUCTION_KEYS

    def start(**overrides):
        env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", *PRODUCTION_KEYS)}
        env.update({"SECRET_KEY": "x" * 60, **PRODUCTION_KEYS, **overrides})
        env = {k: v for k, v in env.items() if v is not None}
        return subprocess.run([sys.executable, "-c", "import wealthdesk.config.settings.production"],
                              cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60)

    assert start().returncode == 0
    missing = start(WD_FIELD_KEYS=None)
    assert missing.returncode != 0 and "WD_FIELD_KEYS" in missing.stderr
    bad = start(WD_FIELD_KEYS="p1:not-a-key")
    assert bad.returncode != 0 and "WD_FIELD_KEYS (p1) must be 32 bytes" in bad.stderr
    no_index = start(WD_BLIND_INDEX_KEY=None)
    assert no_index.returncode != 0 and "WD_BLIND_INDEX_KEY" in no_index.stderr


@pytest.mark.django_db
def test_the_teller_lookup_finds_by_full_id_or_mobile_through_the_blind_index(world):
    cust = world.cust_a
    assert customer_by_exact_identifier(centers=[world.c1], id_number=cust.id_number.lower()) == cust
    assert customer_by_exact_identifier(centers=[world.c1], mobile=f" {cust.mobile} ") == cust
    assert customer_by_exact_identifier(centers=[world.c2], mobile=cust.mobile) is None
    assert customer_by_exact_identifier(centers=[world.c1], mobile=cust.mobile[:-1] + "0") is None


@pytest.mark.django_db
def test_the_list_search_finds_by_the_mobiles_last_four_digits_the_full_mobile_and_the_full_id(world):
    cust = world.cust_a
    assert list(customer_list(world.head_c1, q=cust.mobile[-4:])) == [cust]
    assert list(customer_list(world.head_c1, q=cust.mobile)) == [cust]
    assert list(customer_list(world.head_c1, q=cust.id_number)) == [cust]
    assert list(customer_list(world.head_c1, q=cust.mobile[-5:])) == []  # neither a tail, a mobile nor a name


@pytest.mark.django_db
def test_the_same_id_number_twice_is_refused_through_the_index_with_a_clear_message(world):
    twin = Customer(cif_no="C999", name="重复", id_number=world.cust_a.id_number.lower(), center=world.c1,
                    client_manager=world.cm_c1_1)
    with pytest.raises(ValidationError) as exc:
        twin.full_clean()
    assert "证件" in str(exc.value)
    assert not Customer.objects.filter(cif_no="C999").exists()


@pytest.mark.django_db
def test_changing_the_mobile_keeps_its_index_and_tail_current(world):
    from wealthdesk.core.concurrency import save_versioned

    cust = Customer.objects.get(pk=world.cust_a.pk)
    cust.mobile = "13912345678"
    save_versioned(cust, ["mobile"])
    assert stored(cust, "mobile_tail") == "5678"
    assert customer_by_exact_identifier(centers=[world.c1], mobile="13912345678") == cust
    cust.mobile = "13987654321"
    cust.save(update_fields=["mobile"])
    assert stored(cust, "mobile_tail") == "4321"
    assert stored(cust, "mobile_bidx") == fieldcrypto.blind_index("mobile", "13987654321")


@pytest.mark.django_db
def test_filtering_on_an_encrypted_column_is_refused_not_silently_empty(world):
    with pytest.raises(ValueError, match="blind index"):
        list(Customer.objects.filter(mobile=world.cust_a.mobile))
    assert Customer.objects.exclude(mobile="").count() == 3  # the empty value stays searchable


@pytest.mark.django_db
def test_rotation_moves_every_row_to_the_new_key_resumably_and_a_second_run_changes_nothing(world, settings):
    before = {c.pk: (c.id_number, c.mobile, c.address) for c in Customer.objects.all()}
    settings.WD_FIELD_KEYS = rotated_ring(settings)
    with pytest.raises(CommandError, match="3"):
        call_command("rotate_field_key", "--check", stdout=io.StringIO())
    out = io.StringIO()
    call_command("rotate_field_key", "--batch", "2", stdout=out)
    assert "已处理至 id" in out.getvalue() and "customers.Customer: 完成，改写 3 行" in out.getvalue()
    for cust in Customer.objects.all():
        assert (cust.id_number, cust.mobile, cust.address) == before[cust.pk]
        for column in ("id_number", "mobile", "address"):
            assert stored(cust, column).startswith("new:")
    again = io.StringIO()
    call_command("rotate_field_key", stdout=again)
    assert "customers.Customer: 完成，改写 0 行" in again.getvalue()
    call_command("rotate_field_key", "--check", stdout=io.StringIO())  # nothing left: no error
    settings.WD_FIELD_KEYS = f"new:{NEW_KEY}"  # the old key can now leave the ring
    assert Customer.objects.get(pk=world.cust_a.pk).mobile == world.cust_a.mobile


@pytest.mark.django_db
def test_an_interrupted_rotation_resumes_with_the_rows_left(world, settings):
    settings.WD_FIELD_KEYS = rotated_ring(settings)
    first = Customer.objects.order_by("pk").first()

    def stop(done, last):
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        process_table(connection, Customer, mode="rotate", batch=1, progress=stop)
    assert stored(first, "mobile").startswith("new:")  # the first batch was committed
    assert process_table(connection, Customer, mode="rotate", batch=1) == 2


@pytest.mark.django_db
def test_reindex_recomputes_the_blind_indexes_after_the_index_key_changed(world, settings):
    cust = world.cust_a
    settings.WD_BLIND_INDEX_KEY = OTHER_INDEX_KEY
    assert customer_by_exact_identifier(centers=[world.c1], mobile=cust.mobile) is None
    out = io.StringIO()
    call_command("rotate_field_key", "--reindex", stdout=out)
    assert "customers.Customer: 完成，改写 3 行" in out.getvalue()
    assert customer_by_exact_identifier(centers=[world.c1], mobile=cust.mobile) == cust
    assert customer_by_exact_identifier(centers=[world.c1], id_number=cust.id_number) == cust
    again = io.StringIO()
    call_command("rotate_field_key", "--reindex", stdout=again)
    assert "customers.Customer: 完成，改写 0 行" in again.getvalue()


@pytest.mark.django_db
def test_the_upgrade_encrypts_clear_rows_in_batches_and_a_rerun_changes_nothing(world):
    with connection.cursor() as cursor:  # an install from before the upgrade: clear values, no indexes
        cursor.execute("UPDATE customers_customer SET id_number = %s, mobile = %s, mobile_bidx = '', "
                       "mobile_tail = '', id_number_bidx = '' WHERE id = %s",
                       [world.cust_a.id_number, world.cust_a.mobile, world.cust_a.pk])
    assert process_table(connection, Customer, mode="encrypt", batch=1) == 1
    assert process_table(connection, Customer, mode="encrypt", batch=1) == 0
    assert stored(world.cust_a, "mobile").startswith(fieldcrypto.current_key_id() + ":")
    assert customer_by_exact_identifier(centers=[world.c1], id_number=world.cust_a.id_number) == world.cust_a
    assert process_table(connection, Customer, mode="decrypt") == 3  # the migration's way back
    assert stored(world.cust_a, "mobile") == world.cust_a.mobile


def test_copy_encoder_encrypts_in_python_and_appends_the_indexes():
    columns, encode = copy_encoder(Customer, ["cif_no", "id_number", "mobile"])
    assert columns == ["cif_no", "id_number", "mobile", "id_number_bidx", "mobile_bidx", "mobile_tail"]
    row = encode(("C1", "11010519491231002X", "13800000001"))
    assert row[0] == "C1" and "13800000001" not in "".join(row) and "11010519491231002X" not in "".join(row)
    assert fieldcrypto.decrypt_value(row[2], "customers.Customer.mobile") == "13800000001"
    assert row[3:] == (fieldcrypto.blind_index("id_number", "11010519491231002X"),
                       fieldcrypto.blind_index("mobile", "13800000001"), "0001")
