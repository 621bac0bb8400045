"""Test settings: fast hashing, no lockout noise, plain static storage."""
import os

from .base import *  # noqa: F403
from .base import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
DEBUG = False
# Wrong-code throttling (django-otp) is on in production; tests that need it turn it on themselves.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop in-thread

# The test runner's flush empties tables with TRUNCATE, which the audit-log and no-delete triggers refuse unless
# the session says so (core migration 0005). Only the test settings set it; production never does.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    _options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    _options["options"] = (_options.get("options", "") + " -c wealthdesk.allow_truncate=on").strip()

# The replica (when DATABASE_REPLICA_URL is set, as .ci/run does for PostgreSQL) mirrors the test database, and
# the routing is off: only core/tests/test_replica.py switches it on, against the real standby.
if "replica" in DATABASES:  # noqa: F405
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # noqa: F405
WD_REPLICA_READS = False
