"""Settings read from the environment; with nothing set, an embedded development default.

Embedded default: SQLite file and a Celery broker on SQLite (kombu's SQLAlchemy transport) under
``var/``. ``DATABASE_URL`` switches to PostgreSQL and ``REDIS_URL`` to Redis (broker and cache).
Production: ``DJANGO_SETTINGS_MODULE=config.settings_production``.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF

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
]

MIDDLEWARE = [
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
# (the dashboard never renders a broken map). Its origin is added to the CSP's img-src below.
PORTAL_MAP_TILE_URL = env.str("PORTAL_MAP_TILE_URL", default="")
PORTAL_MAP_ATTRIBUTION = env.str("PORTAL_MAP_ATTRIBUTION", default="")


def _tile_origin(url: str) -> list[str]:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    # "{s}.tile.example.org" (Leaflet's subdomains) is "*.tile.example.org" to the CSP.
    host = parts.netloc.replace("{s}", "*")
    return [f"{parts.scheme}://{host}"] if parts.scheme and host else []


# --- Content-Security-Policy (django-csp) ----------------------------------------------------
# One policy for the portal, the admin, the API docs and the offline app at /app/: scripts and
# styles only from our own static files (no inline <script>, style="" or on*= handlers), photos
# and signatures as data:/blob: URLs, the app's service worker and manifest from this origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:", *_tile_origin(PORTAL_MAP_TILE_URL)],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share the file: IMMEDIATE transactions + WAL avoid "database is
    # locked" from deferred read-then-write transactions (measured in GUIDE.md).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (throttling, locks) ---------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="pccc"),
        }
    }
else:
    # A file cache is shared by every process of the embedded default (web, worker, beat).
    CACHES = {
        "default": {
            "BACKEND": "config.cache.FileCache",
            "LOCATION": str(VAR_DIR / "cache"),
            # Sync keeps two entries per inspection version (items, answers); the default 300
            # entries would cull them while one inspector's full sync is still reading.
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }

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

# --- REST framework -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # A JSON body is one object, not too deep, without NUL characters (api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.ObjectJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": env.str("THROTTLE_USER", default="1200/min"),
        "anon": env.str("THROTTLE_ANON", default="60/min"),
        "auth": env.str("THROTTLE_AUTH", default="20/min"),
        "verify": env.str("THROTTLE_VERIFY", default="30/min"),
        # Mobile API, per user: a phone catching up after a day offline stays well below these.
        "sync": env.str("THROTTLE_SYNC", default="120/min"),
        "uploads": env.str("THROTTLE_UPLOADS", default="600/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "PCCC Inspect API",
    "DESCRIPTION": (
        "Fire-safety inspection under Law 55/2024/QH15. Every error has the shape "
        '{"code", "detail", "fields"}.'
    ),
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "kind" field: name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "PremisesKindEnum": "inspections.models.premises.PremisesKind",
        "AuthorityKindEnum": "accounts.models.Authority.Kind",
        "InspectionKindEnum": "inspections.models.inspections.Inspection.Kind",
        "InspectionStateEnum": "inspections.models.inspections.Inspection.State",
        "FindingStatusEnum": "inspections.models.inspections.Finding.Status",
    },
}
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=30)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=30)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "USER_ID_FIELD": "id",
    # Every token carries a stamp of the password hash, checked on each request (and on
    # refresh, api/auth.py): a password change or reset ends the sessions issued before it.
    "CHECK_REVOKE_TOKEN": True,
    "REVOKE_TOKEN_CLAIM": "pwd",
}

# --- Celery ---------------------------------------------------------------------------------
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, float] = {"visibility_timeout": 3600}
else:
    # kombu's filesystem transport loses messages under load (GUIDE.md); SQLAlchemy on SQLite
    # does not.
    CELERY_BROKER_URL = f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}"
    CELERY_BROKER_TRANSPORT_OPTIONS = {"polling_interval": 0.1}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "config.beat:AdminEditableScheduler"
# Periodic work, in one place. The scheduler installs these into django-celery-beat's tables once,
# where an administrator can change them.
CELERY_BEAT_SCHEDULE: dict = {
    "purge-consumed-broker-messages": {
        "task": "inspections.tasks.purge_consumed_broker_messages",
        "schedule": timedelta(hours=1),
    },
    # Obligations: statuses turn overdue as dates pass; refresh before the reminders.
    "refresh-obligations-daily": {
        "task": "inspections.tasks.refresh_all_obligations",
        "schedule": crontab(minute=15, hour=5),
    },
    # Obligations missing or older than the facts (a lost message, a worker killed during a
    # large import) are recomputed, a bounded batch per run.
    "sweep-stale-obligations": {
        "task": "inspections.tasks.sweep_stale_obligations",
        "schedule": timedelta(minutes=10),
    },
    "sweep-stalled-imports": {
        "task": "inspections.tasks.sweep_stalled_imports",
        "schedule": timedelta(minutes=5),
    },
    # Signed records: re-queue submitted inspections whose record message was lost.
    "sweep-missing-reports": {
        "task": "inspections.tasks.sweep_missing_reports",
        "schedule": timedelta(minutes=5),
    },
    # Reminders: the sweep is idempotent, so running it often only fills gaps left by
    # a lost message; digests go out once a day after the morning sweep.
    "reminder-sweep": {
        "task": "inspections.tasks.run_reminder_sweep",
        "schedule": crontab(minute=0, hour="6-20/2"),
    },
    "reminder-digests": {
        "task": "inspections.tasks.send_notification_digests",
        "schedule": crontab(minute=30, hour=7),
    },
    "compliance-summary-weekly": {
        "task": "inspections.tasks.send_compliance_summaries",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
        "args": ("weekly",),
    },
    "compliance-summary-monthly": {
        "task": "inspections.tasks.send_compliance_summaries",
        "schedule": crontab(minute=0, hour=7, day_of_month=1),
        "args": ("monthly",),
    },
    "purge-stale-photo-uploads": {
        "task": "inspections.tasks.purge_stale_photo_uploads",
        "schedule": crontab(minute=45, hour=3),
    },
    # Changes in the law: a catalogue version published ahead of its effective date
    # comes into force on that day; every premises' obligations are recomputed and compared.
    "apply-catalogue-versions": {
        "task": "inspections.tasks.apply_catalogue_version_in_force",
        "schedule": crontab(minute=5, hour=0),
    },
    # Dashboard counters (services keep them exact; this repairs drift from writes made
    # behind the services' back, e.g. raw SQL), at night when few write.
    "rebuild-dashboard-rollups": {
        "task": "inspections.tasks.rebuild_dashboard_rollups",
        "schedule": crontab(minute=40, hour=1),
    },
    "purge-summary-files": {
        "task": "inspections.tasks.purge_summary_files",
        "schedule": crontab(minute=15, hour=3),
    },
    # Dossier and forms: re-queue PC01/PC04 whose signing message was lost; purge
    # files of removed dossier documents (never one still under Decree 105 Art. 4.4).
    "sweep-missing-forms": {
        "task": "inspections.tasks.sweep_missing_forms",
        "schedule": timedelta(minutes=5),
    },
    "purge-deleted-dossier-documents": {
        "task": "inspections.tasks.purge_deleted_dossier_documents",
        "schedule": crontab(minute=30, hour=3),
    },
    # Long-term validation: upgrade records still B-B/B-T (TSA or OCSP was down), and renew
    # archival timestamps whose TSA certificate nears its end.
    "upgrade-pending-ltv": {
        "task": "inspections.tasks.upgrade_pending_ltv",
        "schedule": timedelta(minutes=30),
    },
    "renew-archival-timestamps": {
        "task": "inspections.tasks.renew_archival_timestamps",
        "schedule": crontab(minute=30, hour=2),
    },
}

# --- Reminders ------------------------------------------------------------------------------
# Offsets are days before the due date; "overdue_every_days" > 0 repeats the overdue reminder
# every so many days (0: once). "mandatory" kinds are legal deadlines: a user may move them to
# the digest but not switch them off. "cite" lists provisions of Law 55/2024/QH15 as
# (article, clause, point); their text is read from the parsed law. Kinds driven by the
# catalogue (roadmap, drill, self-inspection, insurance) cite the requirement's own citations
# and take their due dates from its decree parameters. REMINDERS_JSON overrides any entry.
REMINDERS: dict = {
    "inspection_due": {
        "offsets": [7, 1],
        "overdue_every_days": 0,
        "mandatory": False,
        "default": "digest",
        "cite": [[11, 3, "b"]],
    },
    "finding_deadline": {
        "offsets": [14, 3],
        "overdue_every_days": 0,
        "mandatory": True,
        "default": "digest",
        "cite": [[8, 3, "d"]],  # the head organises and maintains what the law requires
    },
    "finding_overdue_manager": {
        "offsets": [],
        "overdue_every_days": 0,
        "mandatory": False,
        # A jurisdiction may have hundreds of late findings: one e-mail a day, not hundreds.
        "default": "digest",
        "cite": [[11, 3, "b"]],
    },
    "alarm_roadmap": {
        "offsets": [365, 180, 90, 30, 7, 3],
        "overdue_every_days": 30,
        "mandatory": True,
        "default": "digest",
        "cite": [[23, 1, "c"], [54, 4, None]],
    },
    "insurance_expiry": {
        "offsets": [30, 7, 3],
        "overdue_every_days": 0,
        "mandatory": True,
        "default": "digest",
        "cite": [[48, 1, None]],
    },
    "training_expiry": {
        "offsets": [30, 7, 3],
        "overdue_every_days": 0,
        "mandatory": True,
        "default": "digest",
        "cite": [[45, 1, None]],
    },
    "drill_due": {
        "offsets": [30, 7, 3],
        "overdue_every_days": 0,
        "mandatory": True,
        "default": "digest",
        "cite": [[8, 3, "đ"]],
    },
    "self_inspection_due": {
        "offsets": [30, 7, 3],
        "overdue_every_days": 0,
        "mandatory": True,
        "default": "digest",
        "cite": [[11, 3, "a"]],
    },
    # Decree 105 recurring duties of the head (catalogue 2025.2): the citation comes from the
    # catalogue requirement; the law article below is the fallback.
    "regular_check_due": {
        "offsets": [3],
        "overdue_every_days": 0,
        "mandatory": False,
        "default": "digest",
        "cite": [[11, 3, "a"]],
    },
    "pc04_report_due": {
        "offsets": [30, 7, 3],
        "overdue_every_days": 0,
        "mandatory": True,
        "default": "digest",
        "cite": [[8, 3, "g"]],
    },
    "data_declaration_due": {
        "offsets": [2],
        "overdue_every_days": 0,
        "mandatory": True,
        "default": "digest",
        "cite": [[23, 1, "c"]],
    },
    # The authority's answer to a remediation report (event, not a deadline: no offsets).
    "finding_verified": {"mandatory": False, "default": "immediate", "cite": []},
    # The written notice of a periodic inspection (Decree 105 Art. 14.3): the law requires it.
    "inspection_notice": {"mandatory": True, "default": "immediate", "cite": []},
    # A change in the law that changes a premises' obligations (not a deadline of its own).
    "law_change": {"mandatory": False, "default": "immediate", "cite": []},
    "law_change_summary": {"mandatory": False, "default": "immediate", "cite": []},
    "summary_weekly": {"mandatory": False, "default": "immediate", "cite": []},
    "summary_monthly": {"mandatory": False, "default": "immediate", "cite": []},
}
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

# --- Logging --------------------------------------------------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOG_JSON = env.bool("LOG_JSON", default=False)
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json" if LOG_JSON else "plain"}
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}

# --- Production stack ------------------------------------------------------------------------
# One worker pool per kind of work (deploy/prod-local.sh, docs/deploy.md): a burst of reminder
# e-mails never delays a signed record. A task not routed here (added later) goes to the default
# queue "celery", which the background worker also serves.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = {
    "inspections.tasks.generate_inspection_report": {"queue": "records"},
    "inspections.tasks.sweep_missing_reports": {"queue": "records"},
    "inspections.tasks.upgrade_report_ltv": {"queue": "signing"},
    "inspections.tasks.upgrade_pending_ltv": {"queue": "signing"},
    "inspections.tasks.renew_report_archive_timestamp": {"queue": "signing"},
    "inspections.tasks.renew_archival_timestamps": {"queue": "signing"},
    "inspections.tasks.run_reminder_sweep": {"queue": "notifications"},
    "inspections.tasks.send_notification": {"queue": "notifications"},
    "inspections.tasks.send_notification_digests": {"queue": "notifications"},
    "inspections.tasks.send_compliance_summaries": {"queue": "summaries"},
    "inspections.tasks.purge_summary_files": {"queue": "summaries"},
    "inspections.tasks.refresh_obligations_of": {"queue": "imports"},
    "inspections.tasks.refresh_premises_obligations": {"queue": "obligations"},
    "inspections.tasks.refresh_all_obligations": {"queue": "obligations"},
    "inspections.tasks.refresh_obligations_slice": {"queue": "obligations"},
    "inspections.tasks.rebuild_dashboard_rollups": {"queue": "obligations"},
    # Forms PC01/PC04 are rendered and signed like records.
    "inspections.tasks.generate_form_document": {"queue": "records"},
    "inspections.tasks.sweep_missing_forms": {"queue": "records"},
    # A new catalogue version in force recomputes every premises; stale ones are swept up.
    "inspections.tasks.apply_catalogue_version_in_force": {"queue": "obligations"},
    "inspections.tasks.sweep_stale_obligations": {"queue": "obligations"},
    "inspections.tasks.run_premises_import": {"queue": "imports"},
    "inspections.tasks.sweep_stalled_imports": {"queue": "imports"},
}
# Every queue, for a single worker that serves them all (make run, Procfile.dev).
CELERY_ALL_QUEUES = "celery,records,signing,notifications,summaries,imports,obligations"
# Time limits: a task past its soft limit gets SoftTimeLimitExceeded (and its retry policy), past
# the hard one its process is killed and, with acks_late + reject_on_worker_lost, the message
# goes back to the queue. A record of 150 rows and 20 photos renders in ≈ 1.5 s (GUIDE.md).
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=330)
REPORT_TASK_TIME_LIMIT = env.int("REPORT_TASK_TIME_LIMIT", default=180)
_long = env.int("LONG_TASK_TIME_LIMIT", default=3600)  # whole-country sweeps and summaries
CELERY_TASK_ANNOTATIONS = {
    "inspections.tasks.generate_inspection_report": {
        "soft_time_limit": REPORT_TASK_TIME_LIMIT - 10,
        "time_limit": REPORT_TASK_TIME_LIMIT,
    },
    **{
        name: {"soft_time_limit": _long - 60, "time_limit": _long}
        for name in (
            "inspections.tasks.rebuild_dashboard_rollups",
            "inspections.tasks.send_compliance_summaries",
            "inspections.tasks.run_reminder_sweep",
        )
    },
}
# A record claimed longer ago than its task may run belongs to a dead worker: claim it again.
REPORT_CLAIM_TIMEOUT = timedelta(
    seconds=env.int("REPORT_CLAIM_TIMEOUT_SECONDS", default=REPORT_TASK_TIME_LIMIT + 30)
)
if REDIS_URL:
    # An unacknowledged message (acks_late) returns to the queue after this: longer than any
    # task may run, or a long task would be started twice.
    CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = _long + 600
# Request id (X-Request-ID from nginx, else generated) in every log line of the request and of
# the tasks it queues (config/request_id.py); failed tasks kept for the administrator (ops/).
MIDDLEWARE.insert(0, "config.request_id.RequestIdMiddleware")
# Workers log through LOGGING (JSON, with the request id) instead of Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
INSTALLED_APPS.append("ops")
LOGGING["filters"] = {"request_id": {"()": "config.request_id.RequestIdFilter"}}
LOGGING["handlers"]["console"]["filters"] = ["request_id"]
LOGGING["formatters"]["json"]["fmt"] = (
    "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s"
)
LOGGING["formatters"]["plain"]["format"] = (
    "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"
)
# Largest request body nginx accepts (deploy/nginx.conf.template): the largest upload the
# application takes (a photo; a premises CSV of 20 MB, inspections/services/premises_import.py;
# evidence of 10 MB) plus its form fields. tests/test_prod_stack.py keeps them in step.
REQUEST_MAX_BODY_BYTES = max(PHOTO_MAX_BYTES, PREMISES_IMPORT_MAX_BYTES) + 1024 * 1024
# Backups (manage.py backup / restore_backup): where archives are written.
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(VAR_DIR / "backups")))
