"""Personal data encrypted at rest, with a keyed blind index for exact-match search (issue 15, R28).

Keys come from the environment (docs/operations.md):

* ``WD_FIELD_KEYS`` — the key ring, ``id1:base64,id0:base64``: AES-256-GCM keys, the **first is current**
  (new values are written with it), the others only decrypt until ``manage.py rotate_field_key`` has moved
  every row onto the current key.
* ``WD_BLIND_INDEX_KEY`` — a separate 32-byte HMAC-SHA256 key for the blind indexes.

A stored value is ``<key id>:<base64(nonce || ciphertext+tag)>``; the associated data is the column's name
(``customers.Customer.mobile``), so a value copied into another column does not decrypt. The empty string stays
empty (nothing to hide, and ``exclude(mobile="")`` keeps working). The blind index is
``HMAC-SHA256(index key, kind || 0 || normalised value)`` in hex, cut to 32 digits (128 bits); normalisation:
an ID number stripped and upper-cased, a mobile reduced to its digits.

Application code reads and writes clear values (``core.fields.EncryptedCharField``); masking works on them after
decryption. Exact searches go through ``blind_index(kind, value)`` on the ``*_bidx`` column — never a filter on
the encrypted column itself (it would compare against a fresh ciphertext and match nothing).
"""
from __future__ import annotations

import base64
import binascii
import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

from .crypto import DecryptionFailed, open_sealed, parse_key, parse_key_ring, seal

BLIND_INDEX_HEX = 32
_NON_DIGITS = re.compile(r"\D")
_SPACES = re.compile(r"\s")


class FieldDecryptionError(Exception):
    """A stored value that does not decrypt: its key is not in ``WD_FIELD_KEYS``, or the value was altered."""


@dataclass(frozen=True)
class KeyRing:
    current_id: str
    keys: dict[str, bytes]
    index_key: bytes


_RING: KeyRing | None = None


def key_ring() -> KeyRing:
    """The parsed keys (parsed once; again after ``override_settings`` changes one of the two settings)."""
    global _RING
    if _RING is None:
        _RING = parse_settings(getattr(settings, "WD_FIELD_KEYS", "") or "",
                               getattr(settings, "WD_BLIND_INDEX_KEY", "") or "")
    return _RING


@receiver(setting_changed)
def _forget_keys(*, setting, **kwargs):
    global _RING
    if setting in ("WD_FIELD_KEYS", "WD_BLIND_INDEX_KEY"):
        _RING = None


def parse_settings(field_keys: str, index_key: str) -> KeyRing:
    """Check both settings (production settings call this at start-up: a bad key stops the start)."""
    ring = parse_key_ring(field_keys, name="WD_FIELD_KEYS")
    index = parse_key(index_key, name="WD_BLIND_INDEX_KEY")
    if any(index == key for _id, key in ring):
        raise ImproperlyConfigured("WD_BLIND_INDEX_KEY must differ from every key in WD_FIELD_KEYS")
    return KeyRing(current_id=ring[0][0], keys=dict(ring), index_key=index)


def current_key_id() -> str:
    return key_ring().current_id


def encrypt_value(value: str | None, aad: str) -> str | None:
    """The stored form of a clear value (``None`` and ``""`` unchanged)."""
    if not value:
        return value
    ring = key_ring()
    blob = seal(ring.keys[ring.current_id], value.encode(), aad.encode())
    return f"{ring.current_id}:{base64.b64encode(blob).decode()}"


def stored_key_id(stored: str | None) -> str:
    """The key id a stored value was written with ('' for an empty value)."""
    return (stored or "").partition(":")[0] if stored else ""


def decrypt_value(stored: str | None, aad: str) -> str | None:
    """The clear value of a stored one; ``FieldDecryptionError`` (naming the column and key id) if it does not
    decrypt."""
    if not stored:
        return stored
    key_id, sep, payload = stored.partition(":")
    key = key_ring().keys.get(key_id) if sep else None
    if key is None:
        raise FieldDecryptionError(
            f"{aad}: stored value is not encrypted with a key of WD_FIELD_KEYS (key id {key_id[:16]!r}); "
            "add the old key to the ring or run the encryption migration")
    try:
        return open_sealed(key, base64.b64decode(payload, validate=True), aad.encode()).decode()
    except (DecryptionFailed, binascii.Error, ValueError) as exc:
        raise FieldDecryptionError(f"{aad}: stored value does not decrypt with key {key_id!r} "
                                   "(wrong key or tampered data)") from exc


def normalise(kind: str, value: str | None) -> str:
    """What the blind index is computed over: an ID number upper-cased without spaces, a mobile's digits."""
    value = value or ""
    if kind == "mobile":
        return value if value.isdigit() else _NON_DIGITS.sub("", value)
    return (value if value.isalnum() else _SPACES.sub("", value)).upper()


def blind_index(kind: str, value: str | None) -> str:
    """The keyed index of a value (``""`` for an empty one): equal inputs (after normalisation) give equal
    indexes, and without ``WD_BLIND_INDEX_KEY`` nobody can compute one from a guessed ID number or mobile."""
    clean = normalise(kind, value)
    if not clean:
        return ""
    return hmac.digest(key_ring().index_key, f"{kind}\x00{clean}".encode(), "sha256").hex()[:BLIND_INDEX_HEX]


def mobile_tail(value: str | None, digits: int = 4) -> str:
    """The last digits of a mobile, kept in clear for the list's tail search (masked form: never the whole)."""
    clean = normalise("mobile", value)
    return clean[-digits:] if len(clean) > digits else ""
