"""Production settings: HTTPS only, secrets from the environment. `manage.py check --deploy` passes."""
from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
# The archive's encryption key (R28): required, and checked now so a bad key stops the start, not a download.
WD_ARCHIVE_KEY = env("WD_ARCHIVE_KEY")
from wealthdesk.archive.crypto import parse_key as _parse_archive_key  # noqa: E402

_parse_archive_key(WD_ARCHIVE_KEY)
# Personal data at rest (issue 15): the field key ring and the blind-index key, required and checked now.
WD_FIELD_KEYS = env("WD_FIELD_KEYS")
WD_BLIND_INDEX_KEY = env("WD_BLIND_INDEX_KEY")
from wealthdesk.core.fieldcrypto import parse_settings as _parse_field_keys  # noqa: E402

_parse_field_keys(WD_FIELD_KEYS, WD_BLIND_INDEX_KEY)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

# Issue 15: no demo authenticator secret in production, whatever the environment says; __Host- cookies (secure,
# path /, no domain) so no sibling host can set or read them.
WD_DEMO_TOTP_KEY = None
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
SESSION_COOKIE_PATH = "/"
CSRF_COOKIE_PATH = "/"
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
