"""R28: archived documents are stored encrypted (AES-256-GCM, key from the environment)."""
import base64
import os
import subprocess
import sys

import pytest
from django.conf import settings

from wealthdesk.archive import crypto
from wealthdesk.archive.models import ArchiveDocument
from wealthdesk.core.testing.production import PRODUCTION_KEYS

from .helpers import SIGNED, archive


@pytest.mark.django_db
def test_stored_bytes_differ_from_the_upload_and_do_not_contain_it(world):
    doc = archive(world)
    stored = bytes(ArchiveDocument.objects.values_list("content", flat=True).get(pk=doc.pk))
    assert stored != SIGNED
    assert SIGNED not in stored and b"%PDF" not in stored and b"signed form" not in stored
    assert len(stored) == len(SIGNED) + crypto.NONCE_BYTES + 16  # nonce + ciphertext + GCM tag
    assert doc.key_id == crypto.key_id()


@pytest.mark.django_db
def test_decrypt_round_trip_gives_the_upload_back(world):
    doc = archive(world)
    stored = ArchiveDocument.objects.values_list("content", flat=True).get(pk=doc.pk)
    assert crypto.decrypt(stored, customer_id=world.cust_a.pk) == SIGNED


@pytest.mark.django_db
def test_a_wrong_key_or_another_customers_row_does_not_decrypt(world):
    doc = archive(world)
    stored = ArchiveDocument.objects.values_list("content", flat=True).get(pk=doc.pk)
    with pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt(stored, customer_id=world.cust_a.pk, key=os.urandom(32))
    with pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt(stored, customer_id=world.cust_b.pk)
    tampered = bytearray(bytes(stored))
    tampered[-1] ^= 1
    with pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt(bytes(tampered), customer_id=world.cust_a.pk)


def test_two_encryptions_of_the_same_file_differ():
    assert crypto.encrypt(SIGNED, customer_id=1) != crypto.encrypt(SIGNED, customer_id=1)


@pytest.mark.parametrize("bad", ["", "short", base64.urlsafe_b64encode(b"x" * 16).decode(), "***"])
def test_a_malformed_key_is_a_configuration_error(bad):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        crypto.parse_key(bad)


def _production_start(extra_env: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("WD_ARCHIVE_KEY", "DJANGO_SETTINGS_MODULE")}
    env.update({"SECRET_KEY": "x" * 60, **{k: v for k, v in PRODUCTION_KEYS.items() if k != "WD_ARCHIVE_KEY"},
                **extra_env})
    code = "import wealthdesk.config.settings.production as s; print(len(s.WD_ARCHIVE_KEY))"
    return subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True,
                          text=True, timeout=60)


def test_production_settings_refuse_to_start_without_the_key():
    result = _production_start({})
    assert result.returncode != 0 and "WD_ARCHIVE_KEY" in result.stderr


def test_production_settings_refuse_a_malformed_key_and_take_a_good_one():
    assert _production_start({"WD_ARCHIVE_KEY": "not-a-key"}).returncode != 0
    good = base64.urlsafe_b64encode(os.urandom(32)).decode()
    result = _production_start({"WD_ARCHIVE_KEY": good})
    assert result.returncode == 0, result.stderr
