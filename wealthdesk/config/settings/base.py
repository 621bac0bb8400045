"""WealthDesk settings, read from the environment (twelve-factor; see .env.example).

DATABASE_URL unset -> SQLite file under var/; set -> that database (PostgreSQL in production).
"""
from pathlib import Path

import environ

from wealthdesk.config.db_options import add_session_setting, parse_jit

BASE_DIR = Path(__file__).resolve().parents[3]
PACKAGE_DIR = BASE_DIR / "wealthdesk"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-insecure-wealthdesk-key-change-me-0123456789abcdefghijklmnop")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Reverse proxies whose X-Forwarded-For is believed (audit IPs, public rate limits). Empty = none.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# The order matters only for templates and seeding: core first, then the domains.
LOCAL_APPS = [
    "wealthdesk.core",
    "wealthdesk.jobs",
    "wealthdesk.orgs",
    "wealthdesk.staff",
    "wealthdesk.customers",
    "wealthdesk.corebanking",
    "wealthdesk.alerts",
    "wealthdesk.contacts",
    "wealthdesk.worklogs",
    "wealthdesk.referrals",
    "wealthdesk.voice",
    "wealthdesk.complaints",
    "wealthdesk.meetings",
    "wealthdesk.reports",
    "wealthdesk.compliance",
    "wealthdesk.dashboards",
    "wealthdesk.campaigns",
    "wealthdesk.targets",
    "wealthdesk.cases",
    "wealthdesk.development",
    "wealthdesk.experts",
    "wealthdesk.analyses",
    "wealthdesk.security",
    "wealthdesk.exportcontrol",
    "wealthdesk.archive",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    *LOCAL_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "wealthdesk.security.middleware.SessionTouchMiddleware",  # slides the idle expiry at most once a minute
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wealthdesk.core.middleware.RequestContextMiddleware",
    "wealthdesk.security.middleware.SessionSecurityMiddleware",  # absolute lifetime, second factor (issue 15)
    "wealthdesk.core.access.AccessCheckMiddleware",  # revoked or expired advisors (R4)
    "wealthdesk.core.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
    "wealthdesk.exportcontrol.middleware.ExportApprovalMiddleware",
]
if env.bool("WD_QUERY_COUNT_HEADER", default=False):  # bench/pages.py only
    MIDDLEWARE.insert(0, "wealthdesk.core.middleware.QueryCountHeaderMiddleware")

ROOT_URLCONF = "wealthdesk.config.urls"
WSGI_APPLICATION = "wealthdesk.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wealthdesk.core.context_processors.navigation",
            ],
            "builtins": ["wealthdesk.core.templatetags.wd"],
        },
    }
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'wealthdesk.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 30, "init_command": "PRAGMA journal_mode=WAL;"})
DATABASES["default"].setdefault("TEST", {})["NAME"] = env("TEST_DATABASE_NAME", default=None)
# A PostgreSQL streaming replica for reports, statistics and exports (wealthdesk/core/db_router.py).
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["ATOMIC_REQUESTS"] = False
DATABASE_ROUTERS = ["wealthdesk.core.db_router.ReplicaRouter"]
# PostgreSQL's JIT, per session (WD_PG_JIT=on|off, default off: wealthdesk/config/db_options.py).
WD_PG_JIT = parse_jit(env("WD_PG_JIT", default=""))
for _database in DATABASES.values():
    add_session_setting(_database, "jit", WD_PG_JIT)
WD_REPLICA_READS = env.bool("WD_REPLICA_READS", default=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "staff.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2id first (new and upgraded hashes); PBKDF2 kept so existing hashes still verify (and upgrade at sign-in).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "wealthdesk.security.passwords.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in protection: lock username+IP after 5 failures; sessions end after 15 idle minutes and 8 hours after
# sign-in whatever the activity (docs/security.md).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=15 * 60)
WD_SESSION_MAX_SECONDS = env.int("SESSION_MAX_SECONDS", default=8 * 3600)
# Periodic password change (等保 asks for it, ASVS 6.2 argues against it): off unless the bank sets a number of days.
WD_PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=0)

# Two-factor sign-in (TOTP, django-otp). The demo/development secret pre-enrols the demo accounts (seed_demo) so a
# newcomer can sign in: hex of "WealthDesk-demo-2026", base32 K5SWC3DUNBCGK43LFVSGK3LPFUZDAMRW. Production
# settings set it to None.
OTP_TOTP_ISSUER = "WealthDesk"
WD_DEMO_TOTP_KEY = env("WD_DEMO_TOTP_KEY", default="5765616c74684465736b2d64656d6f2d32303236")
# The idle expiry slides without a write on every request: security.middleware.SessionTouchMiddleware saves the
# session only when its last save is older than this (issue 16; docs/security.md).
SESSION_SAVE_EVERY_REQUEST = False
WD_SESSION_TOUCH_SECONDS = env.int("SESSION_TOUCH_SECONDS", default=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "var" / "media"
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "wealthdesk.security.authentication.ExpiringTokenAuthentication",  # expiring and access-checked
        "wealthdesk.core.access.CheckedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["wealthdesk.core.permissions.AgreementGate"],
    "DEFAULT_PAGINATION_CLASS": "wealthdesk.core.drf.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "wealthdesk.core.drf.exception_handler",
    "DATETIME_FORMAT": "iso-8601",  # what the OpenAPI schema declares (date-time); four-digit years always
    "DATE_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
}


def _enum_names() -> dict[str, str]:
    """Unique OpenAPI enum names, one per TextChoices class in an app's choices.py (no imports at settings time)."""
    import re

    names = {}
    for app in LOCAL_APPS:
        label = app.rsplit(".", 1)[-1]
        path = PACKAGE_DIR / label / "choices.py"
        if path.exists():
            for cls in re.findall(r"^class (\w+)\(models\.(?:Text|Integer)Choices\)", path.read_text(), re.M):
                names[f"{label.capitalize()}{cls}Enum"] = f"{app}.choices.{cls}"
    return names


# Core-banking uploads (docs/corebanking-formats.md): the file, and what an .xlsx may unpack to.
# Customer archive (R28): AES-256-GCM key, 32 bytes in URL-safe base64. The default is for development and tests
# only; production settings refuse to start without WD_ARCHIVE_KEY (wealthdesk.archive.crypto).
WD_ARCHIVE_KEY = env("WD_ARCHIVE_KEY", default="ZGV2LW9ubHktd2VhbHRoZGVzay1hcmNoaXZlLWtleSE=")
# Personal data encrypted at rest (issue 15, core.fieldcrypto): the AES-256-GCM key ring "id:base64,…" (first =
# current) and the blind-index HMAC key. These defaults are public demo keys for development and tests only;
# production settings refuse to start without both (docs/operations.md, docs/security.md).
WD_FIELD_KEYS = env("WD_FIELD_KEYS", default="demo1:ZGVtby1vbmx5LXdlYWx0aGRlc2stZmllbGQta2V5MSE=")
WD_BLIND_INDEX_KEY = env("WD_BLIND_INDEX_KEY", default="ZGVtby1vbmx5LXdlYWx0aGRlc2stYmxpbmQtaW5kZXg=")
CORE_BANKING_MAX_UPLOAD_BYTES = env.int("CORE_BANKING_MAX_UPLOAD_BYTES", default=100 * 1024 * 1024)
CORE_BANKING_MAX_XLSX_UNZIPPED_BYTES = env.int("CORE_BANKING_MAX_XLSX_UNZIPPED_BYTES", default=200 * 1024 * 1024)
CORE_BANKING_MAX_XLSX_RATIO = env.int("CORE_BANKING_MAX_XLSX_RATIO", default=100)
CORE_BANKING_MAX_XLSX_ROWS = env.int("CORE_BANKING_MAX_XLSX_ROWS", default=200_000)

SPECTACULAR_SETTINGS = {
    "TITLE": "WealthDesk API",
    "DESCRIPTION": "理财中心运营管理系统 API v1. Authenticate with POST /api/v1/auth/token/ then `Authorization: Token <token>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {**_enum_names(), "CoreSubmissionStatusEnum": "wealthdesk.core.submission.SubmissionStatus"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "wealthdesk.core.openapi.document_error_responses",
    ],
}

# Content-Security-Policy: everything is served from our own origin (vendored assets).
from csp.constants import NONCE  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],  # the nonce: only the API docs' start-up script uses it
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://wealthdesk")}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# Background work (issue 16): Celery on Redis when CELERY_BROKER_URL is set (e.g. redis://127.0.0.1:6379/0);
# unset, every job runs inline where it was asked for. The job's state and progress live in the database
# (wealthdesk.jobs.BackgroundJob), so no result backend is needed.
from celery.schedules import crontab  # noqa: E402

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ACKS_LATE = True  # a worker that dies mid-job leaves the message for another (jobs are idempotent)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "wealthdesk"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # after the nightly core-banking files (R8): the day's large-movement scan (R6) and the referral conversions
    # (R17); each job is idempotent for its day, so a second run changes nothing.
    "alerts-scan": {"task": "wealthdesk.jobs.tasks.scheduled", "schedule": crontab(hour=6, minute=30),
                    "args": ("alerts.scan",)},
    "referral-conversions": {"task": "wealthdesk.jobs.tasks.scheduled", "schedule": crontab(hour=6, minute=45),
                             "args": ("referrals.update_conversions",)},
}
