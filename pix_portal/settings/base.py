"""Settings shared by every environment, read from the environment (12-factor).

Defaults give a working developer set-up: SQLite in the project folder, tasks run inline,
DEBUG on. Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, CELERY_BROKER_URL
and REDIS_URL.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Core -------------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=True)
# The development key only applies with DEBUG on: production refuses to start without its own.
SECRET_KEY = env.str(
    "SECRET_KEY",
    default=None if not DEBUG else "dev-only-insecure-key-change-me-in-production-0123456789",
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "widget_tweaks",
    "dsfr",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "core",
    "jobs",
    "accounts",
    "student_accounts",
    "certification",
    "students",
    "sessions.apps.CertifSessionsConfig",
    "results",
    "planning",
    "pix_portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before anything reads the body (CSRF reads POST): oversized requests are refused unread.
    "core.request_limits.RequestBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.ForcePasswordChangeMiddleware",
    # Axes must come last: it turns locked-out logins into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pix_portal.urls"
WSGI_APPLICATION = "pix_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.current_organization",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A page's statements are short: PostgreSQL's parallel workers take longer to start than
    # they save (counting a school's students took 7 ms with two of them, 2.3 ms without, once
    # a million other students made the planner expect a big scan).
    _parallel = env.int("PG_MAX_PARALLEL_WORKERS_PER_GATHER", default=0)
    # A school's rows are a sliver of the country's, read through indexes from memory: at the
    # default 4 (a spinning disk) the planner preferred reading every account of the country to
    # 3 500 index lookups for the Élèves export (91 ms against 5.5 once a million students
    # were in the database). 1.1 is the usual value for SSDs and cached data.
    _random_page_cost = env.float("PG_RANDOM_PAGE_COST", default=1.1)
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = (
        f"{_options.get('options', '')} -c max_parallel_workers_per_gather={_parallel}"
        f" -c random_page_cost={_random_page_cost}"
    ).strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts, passwords, brute force ---------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "accounts.hashers.OwaspArgon2idPasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "accounts.validators.MixedCharactersValidator"},
    {"NAME": "accounts.validators.NotTheLoginValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.IdentifiantOrEmailBackend",
]
ONE_TIME_PASSWORD_VALIDITY = timedelta(days=env.int("ONE_TIME_PASSWORD_VALIDITY_DAYS", default=30))
# Bulk resets hash on this many threads (argon2 releases the GIL): one per core of the worker.
PASSWORD_HASH_THREADS = env.int("PASSWORD_HASH_THREADS", default=os.cpu_count() or 2)
# The credentials files of a reset (CSV, slips) can be downloaded once, within this delay.
PASSWORD_RESET_FILES_TTL = timedelta(minutes=env.int("PASSWORD_RESET_FILES_MINUTES", default=15))
# "Mot de passe oublié ?" links sent by e-mail stay valid one day.
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60

# A whole school shares one public IP: lock on username + IP, never on IP alone.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The login form field (our USERNAME_FIELD is "email", but students type an identifiant).
AXES_USERNAME_FORM_FIELD = "username"
# Counted on the login as the backend reads it (case, spaces, NFKC), not as typed.
AXES_USERNAME_CALLABLE = "accounts.logins.axes_username"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=8)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=20))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"

# Shared classroom computers: short sessions that end with the browser.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Security headers -------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^health/$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Uploads ----------------------------------------------------------------------------------
MAX_UPLOAD_SIZE = 20 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_SIZE
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Whole request bodies (core/request_limits.py): an upload and its form for signed-in
# people; anonymous pages are small forms; the API's biggest payload is a session's results.
REQUEST_MAX_BODY_SIZE = MAX_UPLOAD_SIZE + 1024 * 1024
ANONYMOUS_MAX_BODY_SIZE = 1024 * 1024
API_MAX_BODY_SIZE = 5 * 1024 * 1024
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
# Uploaded SIECLE files and scans are private: never served from MEDIA_URL.
PRIVATE_STORAGE_ROOT = MEDIA_ROOT / "private"

# --- I18n -------------------------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
USE_I18N = True
TIME_ZONE = "Europe/Paris"
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Every private file (uploads, generated documents, credentials files, scans): never served by a
# URL, read back by the portal's views after their own checks. On the local disk by default;
# on an S3-compatible object store, which web servers and workers on several hosts share, when
# PRIVATE_STORAGE_S3_BUCKET is set.
PRIVATE_STORAGE_S3_BUCKET = env.str("PRIVATE_STORAGE_S3_BUCKET", default="")
PRIVATE_STORAGE = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": PRIVATE_STORAGE_S3_BUCKET,
            "endpoint_url": env.str("PRIVATE_STORAGE_S3_ENDPOINT_URL", default="") or None,
            "access_key": env.str("PRIVATE_STORAGE_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("PRIVATE_STORAGE_S3_SECRET_ACCESS_KEY", default="") or None,
            "region_name": env.str("PRIVATE_STORAGE_S3_REGION", default="") or None,
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
    if PRIVATE_STORAGE_S3_BUCKET
    else {"BACKEND": "jobs.storage.PrivateFileSystemStorage"}
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": PRIVATE_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# The DSFR's published SRI digests describe its files as shipped; the hashed storage rewrites the
# url() references inside its CSS, so the browser refused the rewritten stylesheet. The files come
# from our own origin (whitenoise): SRI adds nothing there.
DSFR_USE_INTEGRITY_CHECKSUMS = False

# --- E-mail -----------------------------------------------------------------------------------
# EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.fr:587 (EMAIL_BACKEND, EMAIL_HOST…).
# Development prints e-mails in the console; production refuses to start without SMTP.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Pix Portal <ne-pas-repondre@pix-portal.local>"
)
# Where users report an accessibility problem or ask about their data (statement, legal pages).
CONTACT_EMAIL = env.str("CONTACT_EMAIL", default="contact@pix-portal.local")

# --- Celery -----------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
# Without a broker every task runs inline, in the request that enqueued it.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Progress lives in job rows in the database; task results are not needed.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker that refuses or hangs (accepts, never answers) must not hold a request: sending a task
# gives up after a few seconds and the job says "service indisponible".
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_MAX_RETRIES = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": 3,
    "socket_connect_timeout": 3,
    "max_retries": 1,
    # Longer than any job: a task still running is never handed to a second worker.
    "visibility_timeout": 2 * 3600,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_BEAT_SCHEDULE = {
    "jobs-sweep": {
        "task": "jobs.tasks.jobs_sweep_task",
        "schedule": timedelta(minutes=1),
    },
    "clear-expired-web-sessions": {
        "task": "accounts.tasks.clear_expired_web_sessions",
        "schedule": timedelta(hours=24),
    },
    # Every hour; each run takes the schools whose local time is CERTIFIABILITY_RECOMPUTE_HOUR,
    # so every school is recomputed once a night in its own time zone (Paris, Tahiti…).
    "recompute-certifiability-at-night": {
        "task": "certification.tasks.certifiability_recompute_due",
        "schedule": crontab(minute=10),
    },
    # The Élèves page adds up a school's class tally entries: sum them into one per class.
    "compact-class-tally": {
        "task": "students.tasks.class_tally_compact_task",
        "schedule": crontab(minute=40),
    },
}

# --- REST API ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.api.IntegrationTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.api.HasIntegrationToken"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["core.api_parsers.SafeJSONParser"],
    "EXCEPTION_HANDLER": "core.api_errors.api_exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Pix Portal API",
    "DESCRIPTION": "API d'intégration : profils de compétences, résultats de certification.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # A reference to read (templates/api/docs.html): no "Try it out" forms; no deep links, whose
    # anchor inside each operation's button is a control inside a control (WCAG 4.1.2); examples
    # in plain text, the highlighter's colours reading at 3.45:1 (WCAG 1.4.3).
    "SWAGGER_UI_SETTINGS": {
        "deepLinking": False,
        "supportedSubmitMethods": [],
        "syntaxHighlight": {"activated": False},
    },
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"CompetenceCodeEnum": "certification.referential.COMPETENCE_CODES"},
}

# --- Jobs (jobs/services.py) -----------------------------------------------------------------
# A running job whose heartbeat stopped this long lost its worker: the sweep marks it failed.
JOB_HEARTBEAT_TIMEOUT = timedelta(seconds=env.int("JOB_HEARTBEAT_TIMEOUT_SECONDS", default=120))
# The page says the job seems stuck (and when it unblocks) past this.
JOB_STALLED_AFTER = timedelta(seconds=30)
# A job queued this long without a worker taking it is failed ("service indisponible").
JOB_QUEUE_TIMEOUT = timedelta(minutes=env.int("JOB_QUEUE_TIMEOUT_MINUTES", default=30))
JOB_PROGRESS_INTERVAL = timedelta(seconds=0.5)
JOB_SWEEP_INTERVAL = timedelta(minutes=1)

# --- Student imports --------------------------------------------------------------------------
# SIECLE XML files from this size up are parsed by several processes (students/imports/reading.py).
STUDENT_IMPORT_PARALLEL_MIN_BYTES = env.int(
    "STUDENT_IMPORT_PARALLEL_MIN_BYTES", default=8 * 1024 * 1024
)
# Files of failed imports are kept this long (to run them again), then deleted.
STUDENT_IMPORT_FILE_RETENTION = timedelta(
    hours=env.int("STUDENT_IMPORT_FILE_RETENTION_HOURS", default=24)
)
# A preview nobody confirms is cancelled after this long (it blocks the school's next import).
STUDENT_IMPORT_PREVIEW_EXPIRY = timedelta(hours=24)

# --- Domain settings --------------------------------------------------------------------------
PIX_MAX_REACHABLE_LEVEL = env.int("PIX_MAX_REACHABLE_LEVEL", default=6)
# Public certificate verification: attempts per client IP (django-ratelimit, in the cache).
VERIFICATION_RATE_LIMIT = env.str("VERIFICATION_RATE_LIMIT", default="10/m")
# How many reverse proxies stand in front of gunicorn (each appends to X-Forwarded-For): the
# lockout and every rate limit take the client IP from there (core/client_ip.py).
# A value that is not a whole number counts as 0 here; with DEBUG=0 the guards below refuse it.
_trusted_proxy_count = os.environ.get("TRUSTED_PROXY_COUNT", "0").strip()
TRUSTED_PROXY_COUNT = int(_trusted_proxy_count) if _trusted_proxy_count.isdigit() else 0
RATELIMIT_IP_META_KEY = "core.client_ip.client_ip"

# Certification sessions: documents up to this many pages render in the request, bigger ones
# in a task; generated files are deleted after the retention time.
SESSION_DOCUMENT_INLINE_MAX_PAGES = env.int("SESSION_DOCUMENT_INLINE_MAX_PAGES", default=6)
SESSION_DOCUMENT_RETENTION = timedelta(
    minutes=env.int("SESSION_DOCUMENT_RETENTION_MINUTES", default=60)
)
SESSION_SIGNED_PV_MAX_SIZE = 10 * 1024 * 1024
# Espace surveillant: failed logins allowed per IP and session number, and per IP overall.
INVIGILATOR_LOGIN_RATE = env.str("INVIGILATOR_LOGIN_RATE", default="10/15m")
INVIGILATOR_LOGIN_IP_RATE = env.str("INVIGILATOR_LOGIN_IP_RATE", default="60/h")
# Local hour (0–23, each school's time zone) of the nightly certifiability recompute. 3, not 2:
# in Europe/Paris 02:00 does not exist on the night clocks go forward.
CERTIFIABILITY_RECOMPUTE_HOUR = env.int("CERTIFIABILITY_RECOMPUTE_HOUR", default=3)


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint reports each rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
DSFR_MARK_OPTIONAL_FIELDS = True

# --- Production guards ------------------------------------------------------------------------
if not DEBUG:
    from .guards import refuse_unsafe_production_settings

    refuse_unsafe_production_settings(
        secret_key=SECRET_KEY,
        email_backend=EMAIL_CONFIG["EMAIL_BACKEND"],
        trusted_proxy_count=os.environ.get("TRUSTED_PROXY_COUNT"),
    )
