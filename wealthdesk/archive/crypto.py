"""Encryption at rest of archived documents (R28): AES-256-GCM with a key from the environment.

``settings.WD_ARCHIVE_KEY`` is 32 bytes in URL-safe base64 (``WD_ARCHIVE_KEY`` in the environment; a development
default only in the non-production settings; production refuses to start without it). Each document gets a fresh
96-bit nonce; the stored blob is ``nonce || ciphertext+tag``. The customer id is bound in as associated data, so a
blob copied onto another customer's row does not decrypt. ``key_id`` (the first 16 hex digits of the key's SHA-256)
is stored with the row so that a rotated key is recognised.
"""
from __future__ import annotations

import hashlib

from django.conf import settings

from wealthdesk.core import crypto as core_crypto
from wealthdesk.core.crypto import NONCE_BYTES, DecryptionFailed  # noqa: F401  (the archive's names)


def parse_key(text: str) -> bytes:
    """The 32-byte key from its URL-safe base64 text; anything else is a configuration error."""
    return core_crypto.parse_key(text, name="WD_ARCHIVE_KEY")


def current_key() -> bytes:
    return parse_key(getattr(settings, "WD_ARCHIVE_KEY", "") or "")


def key_id(key: bytes | None = None) -> str:
    return hashlib.sha256(key or current_key()).hexdigest()[:16]


def _aad(customer_id: int) -> bytes:
    return f"wealthdesk-archive:customer:{customer_id}".encode()


def encrypt(data: bytes, *, customer_id: int, key: bytes | None = None) -> bytes:
    return core_crypto.seal(key or current_key(), data, _aad(customer_id))


def decrypt(blob: bytes, *, customer_id: int, key: bytes | None = None) -> bytes:
    try:
        return core_crypto.open_sealed(key or current_key(), blob, _aad(customer_id))
    except DecryptionFailed as exc:
        raise DecryptionFailed("archive document does not decrypt") from exc
