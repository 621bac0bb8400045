"""The secrets production settings require, with throw-away test values (tests that import those settings)."""
PRODUCTION_KEYS = {
    "WD_ARCHIVE_KEY": "cHJvZHVjdGlvbi10ZXN0LWtleS0zMi1ieXRlcyEhISE=",  # 32 bytes, base64
    "WD_FIELD_KEYS": "p1:cHJvZHVjdGlvbi10ZXN0LWZpZWxkLWtleS0zMmIhISE=",
    "WD_BLIND_INDEX_KEY": "cHJvZHVjdGlvbi10ZXN0LWJsaW5kLWluZGV4LWtleSE=",
}
