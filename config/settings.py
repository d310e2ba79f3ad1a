"""Settings read from the environment; with nothing set, an embedded development default.

Embedded default: SQLite file and a Celery broker on SQLite (kombu's SQLAlchemy transport) under
``var/``. ``DATABASE_URL`` switches to PostgreSQL and ``REDIS_URL`` to Redis (broker and cache),
see ``config/stack.py``. Production: ``DJANGO_SETTINGS_MODULE=config.settings_production``.
Larger parts live beside this module: the CSP (``content_security.py``), Celery queues and
schedule (``celery_routing.py``, ``celery_schedule.py``), reminder kinds (``reminder_kinds.py``)
and logging (``logging_config.py``).
"""

from __future__ import annotations

import copy
from datetime import timedelta
from pathlib import Path
from typing import Any

import environ

from config import celery_routing, rest_api, stack
from config.celery_schedule import BEAT_SCHEDULE
from config.content_security import content_security_policy
from config.logging_config import logging_config
from config.reminder_kinds import DEFAULT_REMINDERS

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("PCCC_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-insecure-key-only-for-local-development-000")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# A refused form (expired token, cookies blocked) gets the styled page in the visitor's language.
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    # Swagger UI and Redoc served from our static files: no CDN, and the CSP holds.
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "axes",
    "accounts",
    "inspections",
    "api",
    "portal",
    "fieldapp",
    # Failed tasks kept for the administrator.
    "ops",
]

MIDDLEWARE = [
    # Request id (X-Request-ID from nginx, else generated) in every log line of the request and
    # of the tasks it queues (config/request_id.py).
    "config.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the path or the form: a NUL character is a 400 (config/middleware.py).
    "config.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: portal pages follow the user's choice, not the browser
    # (see portal/middleware.py).
    "portal.middleware.PortalLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A service refusal that escaped its view is a page saying why, not a 500.
    "config.middleware.ServiceRefusalMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a flagged lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Manager dashboard map (Leaflet, vendored) ---------------------------------------------------
# A tile URL template such as https://tile.example.vn/{z}/{x}/{y}.png; empty: no map is shown
# (the dashboard never renders a broken map). Its origin is added to the CSP's img-src.
PORTAL_MAP_TILE_URL = env.str("PORTAL_MAP_TILE_URL", default="")
PORTAL_MAP_ATTRIBUTION = env.str("PORTAL_MAP_ATTRIBUTION", default="")

# --- Content-Security-Policy (django-csp, config/content_security.py) -------------------------
CONTENT_SECURITY_POLICY = content_security_policy(map_tile_url=PORTAL_MAP_TILE_URL)

# --- Database and cache (embedded default or PostgreSQL/Redis: config/stack.py) ---------------
DATABASES = {"default": stack.database(env, VAR_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
REDIS_URL = env.str("REDIS_URL", default="")
# Throttling, locks.
CACHES = stack.caches(env, REDIS_URL, VAR_DIR)

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:login"
# Lockout after repeated failures (django-axes), for the portal form and the API token login.
AUTHENTICATION_BACKENDS = [
    "accounts.lockout.RequestLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
# Per account and address: a stranger cannot lock a user out from elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.lockout.attempted_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "portal/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
# Portal forms that cost something per request (portal/ratelimit.py): "count/period".
PORTAL_RATE_LIMITS = {
    # Per client address and per e-mail address entered.
    "password_reset": env.str("RATE_PASSWORD_RESET", default="5/hour"),
    # Per client address: each upload is a PDF signature validation.
    "verify_upload": env.str("RATE_VERIFY_UPLOAD", default="20/min"),
}
# Unsubscribe links in e-mails stop working after this many days (then: log in, preferences).
UNSUBSCRIBE_TOKEN_MAX_DAYS = env.int("UNSUBSCRIBE_TOKEN_MAX_DAYS", default=60)

# --- I18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# dd/mm/yyyy to show and to type in both languages (config/formats/).
FORMAT_MODULE_PATH = ["config.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
USE_S3 = env.bool("USE_S3", default=False)
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if USE_S3:
    # Fail loudly when S3 is switched on but not configured.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("S3_BUCKET"),
            "endpoint_url": env.str("S3_ENDPOINT_URL", default=None),
            "access_key": env.str("S3_ACCESS_KEY_ID"),
            "secret_key": env.str("S3_SECRET_ACCESS_KEY"),
            "region_name": env.str("S3_REGION", default=None),
            "default_acl": None,
            "querystring_auth": True,
            # Private files are handed out as pre-signed URLs; SigV4 is what every S3 accepts.
            "signature_version": "s3v4",
        },
    }
# Stored files (records, photos, signatures, evidence, summaries) are private: nothing serves
# MEDIA_URL. A view asks inspections/access.py, then config/private_files.py hands the file to the
# web server (django-sendfile2: streamed by Django in development, X-Accel-Redirect to an
# `internal` nginx location in production) or, with S3, redirects to a short-lived signed URL.
SENDFILE_BACKEND = env.str("SENDFILE_BACKEND", default="django_sendfile.backends.simple")
SENDFILE_ROOT = str(MEDIA_ROOT)
SENDFILE_URL = env.str("SENDFILE_URL", default="/private-media")
PRIVATE_FILE_URL_SECONDS = env.int("PRIVATE_FILE_URL_SECONDS", default=60)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="PCCC Inspect <no-reply@pccc.local>")

# --- REST API (config/rest_api.py) ----------------------------------------------------------
REST_FRAMEWORK = rest_api.rest_framework(env)
SPECTACULAR_SETTINGS = rest_api.SPECTACULAR_SETTINGS
SIMPLE_JWT = rest_api.simple_jwt(env)

# --- Celery ---------------------------------------------------------------------------------
# Time limits: a task past its soft limit gets SoftTimeLimitExceeded (and its retry policy), past
# the hard one its process is killed and, with acks_late + reject_on_worker_lost, the message
# goes back to the queue. A record of 150 rows and 20 photos renders in ≈ 1.5 s (GUIDE.md).
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=330)
REPORT_TASK_TIME_LIMIT = env.int("REPORT_TASK_TIME_LIMIT", default=180)
_long = env.int("LONG_TASK_TIME_LIMIT", default=3600)  # whole-country sweeps and summaries
CELERY_TASK_ANNOTATIONS = celery_routing.task_annotations(
    report_limit=REPORT_TASK_TIME_LIMIT, long_limit=_long
)
# A record claimed longer ago than its task may run belongs to a dead worker: claim it again.
REPORT_CLAIM_TIMEOUT = timedelta(
    seconds=env.int("REPORT_CLAIM_TIMEOUT_SECONDS", default=REPORT_TASK_TIME_LIMIT + 30)
)
CELERY_BROKER_URL, CELERY_BROKER_TRANSPORT_OPTIONS = stack.celery_broker(
    REDIS_URL, VAR_DIR, longest_task_seconds=_long
)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TIMEZONE = TIME_ZONE
# Workers log through LOGGING (JSON, with the request id) instead of Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# One worker pool per kind of work (config/celery_routing.py).
CELERY_TASK_DEFAULT_QUEUE = celery_routing.DEFAULT_QUEUE
CELERY_TASK_ROUTES = celery_routing.TASK_ROUTES
CELERY_ALL_QUEUES = celery_routing.ALL_QUEUES
# Periodic work (config/celery_schedule.py), installed once where an administrator can change it.
CELERY_BEAT_SCHEDULER = "config.beat:AdminEditableScheduler"
CELERY_BEAT_SCHEDULE = BEAT_SCHEDULE

# --- Reminders ------------------------------------------------------------------------------
# The kinds and their defaults: config/reminder_kinds.py. REMINDERS_JSON overrides any entry.
REMINDERS: dict = copy.deepcopy(DEFAULT_REMINDERS)
for _kind, _override in env.json("REMINDERS_JSON", default={}).items():
    REMINDERS.setdefault(_kind, {}).update(_override)
REMINDER_BATCH_SIZE = env.int("REMINDER_BATCH_SIZE", default=2000)
# Reminders wait for the person's daily digest unless they asked otherwise; a legal deadline
# (a "mandatory" kind) due within this many days, or overdue, is sent at once
# (inspections/services/digests.py). Mandatory kinds have a reminder stage at this offset.
DIGEST_URGENT_DAYS = env.int("DIGEST_URGENT_DAYS", default=3)
# Premises per transaction when a catalogue version comes into force (compare, notify, recompute).
LAW_CHANGE_BATCH_SIZE = env.int("LAW_CHANGE_BATCH_SIZE", default=200)
# Summaries whose PDF + XLSX + CSV exceed this are stored and linked rather than attached: a
# province-wide summary reaches ~17 MB, more than many mailboxes accept.
SUMMARY_ATTACHMENT_MAX_BYTES = env.int("SUMMARY_ATTACHMENT_MAX_BYTES", default=8 * 1024 * 1024)
# Linked summary files are deleted this many days after the summary was recorded.
SUMMARY_FILES_KEEP_DAYS = env.int("SUMMARY_FILES_KEEP_DAYS", default=90)
# A row left in "sending" longer than this (the worker died mid-send) is claimed again.
NOTIFICATION_CLAIM_TIMEOUT = timedelta(
    minutes=env.int("NOTIFICATION_CLAIM_TIMEOUT_MINUTES", default=15)
)
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=5)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)
# The head's action list shows a met duty, a certificate or an inspection this many days
# ahead of its date at least (longer when the kind's reminder window above is longer).
PORTAL_ACTIONS_HORIZON_DAYS = env.int("PORTAL_ACTIONS_HORIZON_DAYS", default=30)

# --- Signing (PAdES) ------------------------------------------------------------------------
SIGNING_P12_PATH = env.str("SIGNING_P12_PATH", default=str(VAR_DIR / "signing" / "dev-signer.p12"))
SIGNING_P12_PASSPHRASE = env.str("SIGNING_P12_PASSPHRASE", default="dev-signing-passphrase")
SIGNING_TRUST_ROOTS = env.list(
    "SIGNING_TRUST_ROOTS", default=[str(VAR_DIR / "signing" / "dev-ca.pem")]
)
SIGNING_TSA_URL = env.str("SIGNING_TSA_URL", default="")
# Where the deployment's default key lives (an authority may have its own: admin, "Khóa ký
# số"). pkcs12: SIGNING_P12_*; pkcs11: a token or HSM through its PKCS#11 module.
SIGNING_KEY_BACKEND = env.str("SIGNING_KEY_BACKEND", default="pkcs12")
SIGNING_PKCS11_MODULE = env.str("SIGNING_PKCS11_MODULE", default="")
SIGNING_PKCS11_TOKEN_LABEL = env.str("SIGNING_PKCS11_TOKEN_LABEL", default="")
SIGNING_PKCS11_KEY_LABEL = env.str("SIGNING_PKCS11_KEY_LABEL", default="")
SIGNING_PKCS11_CERT_LABEL = env.str("SIGNING_PKCS11_CERT_LABEL", default="")
SIGNING_PKCS11_PIN = env.str("SIGNING_PKCS11_PIN", default="")
SIGNING_PKCS11_PIN_FILE = env.str("SIGNING_PKCS11_PIN_FILE", default="")
# Long-term validation (PAdES B-LT/B-LTA) needs a TSA: with SIGNING_TSA_URL set, every record
# gets its revocation data and a document timestamp after signing, and the archival timestamp
# is renewed this many days before its TSA certificate expires.
SIGNING_LTV_RENEW_DAYS = env.int("SIGNING_LTV_RENEW_DAYS", default=180)
SIGNING_LTV_MAX_ATTEMPTS = env.int("SIGNING_LTV_MAX_ATTEMPTS", default=12)

# --- Mobile uploads ---------------------------------------------------------------------------
PHOTO_MAX_BYTES = env.int("PHOTO_MAX_BYTES", default=15 * 1024 * 1024)
PHOTO_MAX_PIXELS = env.int("PHOTO_MAX_PIXELS", default=40_000_000)
# Resumable (tus) uploads: the size of the pieces a PATCH body is stored in, and how long an
# upload is kept after its last byte (unfinished ones then lose their bytes).
PHOTO_CHUNK_MAX_BYTES = env.int("PHOTO_CHUNK_MAX_BYTES", default=1024 * 1024)
PHOTO_UPLOAD_KEEP_DAYS = env.int("PHOTO_UPLOAD_KEEP_DAYS", default=7)
SIGNATURE_MAX_BYTES = env.int("SIGNATURE_MAX_BYTES", default=1024 * 1024)
# Fire-safety dossier uploads (PDF or photos of paper documents), and how long a removed
# document's file is kept before the purge.
DOSSIER_MAX_BYTES = env.int("DOSSIER_MAX_BYTES", default=20 * 1024 * 1024)
# Remediation evidence a facility head uploads (photo or PDF), a premises CSV import, and a
# signed record someone uploads to check it (portal /verify and the API).
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
PREMISES_IMPORT_MAX_BYTES = env.int("PREMISES_IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
RECORD_CHECK_MAX_BYTES = env.int("RECORD_CHECK_MAX_BYTES", default=50 * 1024 * 1024)
DOSSIER_DELETED_KEEP_DAYS = env.int("DOSSIER_DELETED_KEEP_DAYS", default=30)
SIGNATURE_MAX_PIXELS = env.int("SIGNATURE_MAX_PIXELS", default=4_000_000)
SYNC_PAGE_SIZE = env.int("SYNC_PAGE_SIZE", default=20)

# --- Input limits (one place for the API, the portal and the admin) ---------------------------
# Free text a person types (answer notes, finding descriptions, remediation notes, evidence
# notes), a signer's name or position, and an inspection's recommendations.
NOTE_MAX_CHARS = env.int("NOTE_MAX_CHARS", default=5000)
NAME_MAX_CHARS = 200  # the column width of Signature.signer_name / position
RECOMMENDATIONS_MAX_CHARS = env.int("RECOMMENDATIONS_MAX_CHARS", default=20000)
# No API body needs more than a few levels; thousands of nested brackets are an attack.
API_JSON_MAX_DEPTH = env.int("API_JSON_MAX_DEPTH", default=16)
SYNC_MAX_PAGE_SIZE = 100

# --- Tests and CI ---------------------------------------------------------------------------
# Under CI=true a test that needs PostgreSQL or Redis fails when the server is missing.
CI = env.bool("CI", default=False)

# --- Logging (config/logging_config.py) -------------------------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOG_JSON = env.bool("LOG_JSON", default=False)
LOGGING = logging_config(level=LOG_LEVEL, json=LOG_JSON)

# --- Operations -------------------------------------------------------------------------------
# Largest request body nginx accepts (deploy/nginx.conf.template): the largest upload the
# application takes (a photo; a premises CSV of 20 MB, inspections/services/premises_csv.py;
# evidence of 10 MB) plus its form fields. tests/test_prod_stack.py keeps them in step.
REQUEST_MAX_BODY_BYTES = max(PHOTO_MAX_BYTES, PREMISES_IMPORT_MAX_BYTES) + 1024 * 1024
# Backups (manage.py backup / restore_backup): where archives are written.
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(VAR_DIR / "backups")))
