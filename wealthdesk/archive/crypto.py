"""Encryption at rest of archived documents (R28): AES-256-GCM with a key from the environment.

``settings.WD_ARCHIVE_KEY`` is 32 bytes in URL-safe base64 (``WD_ARCHIVE_KEY`` in the environment; a development
default only in the non-production settings; production refuses to start without it). Each document gets a fresh
96-bit nonce; the stored blob is ``nonce || ciphertext+tag``. The customer id is bound in as associated data, so a
blob copied onto another customer's row does not decrypt. ``key_id`` (the first 16 hex digits of the key's SHA-256)
is stored with the row so that a rotated key is recognised.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NONCE_BYTES = 12


class DecryptionFailed(Exception):
    """The blob does not decrypt with this key (wrong key, tampered bytes or another customer's blob)."""


def parse_key(text: str) -> bytes:
    """The 32-byte key from its URL-safe base64 text; anything else is a configuration error."""
    try:
        key = base64.urlsafe_b64decode(text.encode() + b"=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured("WD_ARCHIVE_KEY must be 32 bytes in URL-safe base64") from exc
    if len(key) != 32:
        raise ImproperlyConfigured("WD_ARCHIVE_KEY must be 32 bytes in URL-safe base64")
    return key


def current_key() -> bytes:
    return parse_key(getattr(settings, "WD_ARCHIVE_KEY", "") or "")


def key_id(key: bytes | None = None) -> str:
    return hashlib.sha256(key or current_key()).hexdigest()[:16]


def _aad(customer_id: int) -> bytes:
    return f"wealthdesk-archive:customer:{customer_id}".encode()


def encrypt(data: bytes, *, customer_id: int, key: bytes | None = None) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key or current_key()).encrypt(nonce, data, _aad(customer_id))


def decrypt(blob: bytes, *, customer_id: int, key: bytes | None = None) -> bytes:
    blob = bytes(blob)
    try:
        return AESGCM(key or current_key()).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], _aad(customer_id))
    except (InvalidTag, ValueError) as exc:
        raise DecryptionFailed("archive document does not decrypt") from exc
