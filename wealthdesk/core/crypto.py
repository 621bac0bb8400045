"""Shared AES-256-GCM and key handling (issue 15; the archive's R28 documents and the personal-data columns).

* ``parse_key(text, name=)`` — a 32-byte key from URL-safe base64; anything else is a configuration error naming
  the setting, so a bad key stops the start, not a request.
* ``seal(key, data, aad)`` / ``open_sealed(key, blob, aad)`` — ``nonce(12) || ciphertext+tag``; a fresh random
  nonce each time, ``aad`` binds the blob to where it belongs (wrong key, tampered bytes or a blob moved elsewhere
  raise ``DecryptionFailed``).
* ``parse_key_ring(text, name=)`` — ``id1:base64,id0:base64`` (first = current key) for keys that rotate.
"""
from __future__ import annotations

import base64
import binascii
import os
import re
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.exceptions import ImproperlyConfigured

NONCE_BYTES = 12
KEY_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,16}$")


class DecryptionFailed(Exception):
    """The blob does not decrypt with this key (wrong key, tampered bytes or a blob copied from elsewhere)."""


def parse_key(text: str, *, name: str = "WD_ARCHIVE_KEY") -> bytes:
    """The 32-byte key from its URL-safe base64 text; anything else is a configuration error."""
    text = (text or "").strip()
    try:
        key = base64.urlsafe_b64decode(text.encode() + b"=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured(f"{name} must be 32 bytes in URL-safe base64") from exc
    if len(key) != 32:
        raise ImproperlyConfigured(f"{name} must be 32 bytes in URL-safe base64")
    return key


def parse_key_ring(text: str, *, name: str) -> list[tuple[str, bytes]]:
    """``[(key id, key), …]`` from ``id1:base64,id0:base64`` — the first is the current key, the others only
    decrypt (until ``rotate_field_key`` has moved every row off them). Ids are 1–16 letters, digits, ``_`` or
    ``-`` and unique; every key is 32 bytes."""
    entries = [part.strip() for part in (text or "").split(",") if part.strip()]
    if not entries:
        raise ImproperlyConfigured(f"{name} must list at least one key as id:base64 (first = current)")
    ring: list[tuple[str, bytes]] = []
    for entry in entries:
        key_id, sep, value = entry.partition(":")
        if not sep or not KEY_ID_RE.match(key_id):
            raise ImproperlyConfigured(
                f"{name}: each entry must be id:base64 with an id of 1-16 letters, digits, _ or - (got {key_id[:16]!r})")
        if any(key_id == seen for seen, _k in ring):
            raise ImproperlyConfigured(f"{name}: key id {key_id!r} appears twice")
        ring.append((key_id, parse_key(value, name=f"{name} ({key_id})")))
    return ring


@lru_cache(maxsize=32)
def _cipher(key: bytes) -> AESGCM:
    return AESGCM(key)


def seal(key: bytes, data: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + _cipher(key).encrypt(nonce, data, aad)


def open_sealed(key: bytes, blob: bytes, aad: bytes) -> bytes:
    blob = bytes(blob)
    try:
        return _cipher(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
    except (InvalidTag, ValueError) as exc:
        raise DecryptionFailed("does not decrypt (wrong key, tampered data or moved from elsewhere)") from exc
