"""Settings, read from the environment.

Development and `make run` need nothing set (SQLite under var/, local-memory cache). Production
sets DATABASE_URL, REDIS_URL, SECRET_KEY and ALLOWED_HOSTS; without DEBUG a missing SECRET_KEY
stops the process instead of running with a guessable one.
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("QM_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("QM_TESTING", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
_secret_file = Path(os.environ.get("SECRET_KEY_FILE", VAR_DIR / "secret_key"))
if not SECRET_KEY and _secret_file.is_file():
    # `make run` writes a random key here once, so a laptop demo needs no environment at all.
    SECRET_KEY = _secret_file.read_text().strip()
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-do-not-use-in-production"
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# HTTPS is on whenever DEBUG is off, unless a local demo explicitly turns it off (make run).
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# How many reverse proxies sit in front of the app (nginx: 1). The client's address is then the
# right-most X-Forwarded-For entry they did not add; with 0 the header is ignored (core.ratelimit).
QM_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# Where those proxies connect from (addresses or networks, e.g. "127.0.0.1" or "10.0.0.0/8"):
# the header is read only on connections from there. Unset: from any peer, for deployments whose
# app nodes only the proxy can reach.
try:
    QM_TRUSTED_PROXY_NETWORKS = [
        ipaddress.ip_network(item, strict=False) for item in env_list("TRUSTED_PROXY_NETWORKS")
    ]
except ValueError as error:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_NETWORKS: {error}") from None
SESSION_COOKIE_HTTPONLY = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "axes",
    "csp",
    "qualitymonth.core",
    "qualitymonth.campaigns",
    "qualitymonth.quiz",
    "qualitymonth.complaints",
    "qualitymonth.showcase",
    "qualitymonth.contest",
    "qualitymonth.enterprises",
    "qualitymonth.supervision",
    "qualitymonth.dashboard",  # last: composes the figures every app above registered
    "django_tasks",
    "django_tasks_db",  # the task queue's table (TASKS_BACKEND=django_tasks_db.DatabaseBackend)
]

MIDDLEWARE = [
    # First: counts and times every response, including those the middleware below refuses.
    "qualitymonth.core.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "qualitymonth.core.middleware_input.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "qualitymonth.core.middleware.ChineseFirstLocaleMiddleware",
    # Before anything that could read the body (CSRF reads the form): oversized bodies are
    # refused from their announced length, in the person's language.
    "qualitymonth.core.middleware_input.BodyLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "qualitymonth.core.sessions.SessionLifetimeMiddleware",
    "qualitymonth.core.sessions.ApiSessionCsrfMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "qualitymonth.core.middleware.DocumentCSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qualitymonth.urls"
WSGI_APPLICATION = "qualitymonth.wsgi.application"

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
                "qualitymonth.core.context_processors.navigation",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'qualitymonth.sqlite3'}",
        # Each process keeps its connection (a gunicorn worker serves one request at a time)
        # and checks it before reusing it, so after a database restart the next request simply
        # connects again.
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A SQLite connection costs nothing to open; not keeping one also means a gunicorn master
    # that touched the database before forking (--preload) hands no open file to its workers.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # IMMEDIATE takes the write lock when a transaction starts, so two concurrent writers queue
    # instead of failing half-way with "database is locked"; WAL lets readers go on meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    # Fail fast when PostgreSQL is away (a restart, a failover): a request waits at most
    # DATABASE_TIMEOUT seconds for a connection, then gets 503 (core/outage.py), not a hang.
    _db_timeout = int(os.environ.get("DATABASE_TIMEOUT", "3"))
    DATABASES["default"]["OPTIONS"] = {"connect_timeout": _db_timeout}
    # A connection pool (psycopg_pool) for threaded servers. Off by default: it waits ever
    # longer between reconnection attempts while the database is away (1, 2, 4, 8… s), which
    # kept a cluster refusing requests for half a minute after a PostgreSQL restart.
    if env_bool("DATABASE_POOL", False):
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps the connections
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": int(os.environ.get("DATABASE_POOL_MIN", "2")),
            "max_size": int(os.environ.get("DATABASE_POOL_MAX", "10")),
            "timeout": _db_timeout,
        }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE columns) are a PostgreSQL feature; on SQLite Django creates the plain
# index, which is what a laptop needs. The warning says exactly that on every command.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- cache and sessions ---------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "qualitymonth.core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "qm"),
            # While Redis is unreachable, limits and codes live in the database cache instead
            # (core/cache.py): slower, but nothing refuses or fails for want of Redis.
            "OPTIONS": {"fallback": "fallback"},
        },
        "fallback": {
            "BACKEND": "qualitymonth.core.cache.DatabaseCache",
            "LOCATION": "qm_cache",
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "qm"),
            "OPTIONS": {"MAX_ENTRIES": 1_000_000, "CULL_FREQUENCY": 4},
        },
    }
else:
    # Every gunicorn worker must see the same limits, codes and counters: a table in the same
    # database, not per-process memory (`qualitymonth createcachetable` makes it; make run does).
    CACHES = {
        "default": {
            "BACKEND": "qualitymonth.core.cache.DatabaseCache",
            "LOCATION": "qm_cache",
            "OPTIONS": {"MAX_ENTRIES": 1_000_000, "CULL_FREQUENCY": 4},
        }
    }
# Sessions live in the database, with or without Redis: a Redis restart or outage signs nobody
# out, and no node ever reads a session older than the one another node just saved (a cache in
# front, cached_db, would serve a stale copy after an outage during which the session changed).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Staff sessions end after this long without a request, and every staff session this long
# after sign-in; citizens' sessions after SESSION_COOKIE_AGE (two weeks).
QM_STAFF_IDLE_MINUTES = int(os.environ.get("STAFF_IDLE_MINUTES", "30"))
QM_SESSION_MAX_HOURS = int(os.environ.get("STAFF_SESSION_MAX_HOURS", "12"))
QM_API_PREFIX = "/api/"

# --- auth -----------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests create hundreds of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "after_login"
LOGOUT_REDIRECT_URL = "campaigns:home"
AXES_FAILURE_LIMIT = 8
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_ENABLED = not TESTING or env_bool("AXES_ENABLED", False)
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_CLIENT_IP_CALLABLE = "qualitymonth.core.ratelimit.client_ip"

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Files only staff may read (complaint attachments): never under MEDIA_URL.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
STORAGES = {
    # Uploads get random names (core/storage.py): the name a person gave a file stays private.
    "default": {"BACKEND": "qualitymonth.core.storage.RandomNameStorage"},
    "private": {
        "BACKEND": "qualitymonth.core.storage.RandomNameStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Several app nodes must see the same uploads: a shared file system mounted at MEDIA_ROOT and
# PRIVATE_MEDIA_ROOT, or an S3-compatible object store (MEDIA_STORAGE=s3, django-storages):
# public media in S3_BUCKET, private files in S3_PRIVATE_BUCKET, both served through the app
# (core/media.py checks drafts and the policy; browsers never reach the store).
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE == "s3":
    _s3 = {
        "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
        "access_key": os.environ.get("S3_ACCESS_KEY_ID", ""),
        "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY", ""),
        "region_name": os.environ.get("S3_REGION", "us-east-1"),
        "default_acl": None,
        "file_overwrite": False,
    }
    STORAGES["default"] = {
        "BACKEND": "qualitymonth.core.storage.RandomNameS3Storage",
        "OPTIONS": {**_s3, "bucket_name": os.environ.get("S3_BUCKET", "qualitymonth-media")},
    }
    STORAGES["private"] = {
        "BACKEND": "qualitymonth.core.storage.RandomNameS3Storage",
        "OPTIONS": {
            **_s3,
            "bucket_name": os.environ.get("S3_PRIVATE_BUCKET", "qualitymonth-private"),
        },
    }
elif MEDIA_STORAGE != "filesystem":
    raise ImproperlyConfigured("MEDIA_STORAGE must be 'filesystem' or 's3'.")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# The largest request body any address takes (a form with a few photos); views that take larger
# files declare their own ceiling with core.body_limits.body_limit. Larger bodies get 413 unread.
QM_REQUEST_BODY_MAX_MB = int(os.environ.get("REQUEST_BODY_MAX_MB", "12"))

# --- content security policy ----------------------------------------------------------------
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "media-src": [SELF, "blob:"],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- platform --------------------------------------------------------------------------------
QM_PAGE_SIZE = 20
QM_DEMO_LOADERS = [
    "qualitymonth.quiz.demo.loader.load",
    "qualitymonth.complaints.demo.loader.load",
    "qualitymonth.showcase.demo.loader.load",
    "qualitymonth.contest.demo.loader.load",
    "qualitymonth.enterprises.demo.loader.load",
    "qualitymonth.supervision.demo.loader.load",
    # Associations join after the registry (their managers are new accounts).
    "qualitymonth.campaigns.demo.participations.load",
    # Last: the dashboard's facts are built from everything loaded above.
    "qualitymonth.dashboard.demo.loader.load",
]
# The office's dashboard rebuilds its campaign's stale days before it reads (never behind what
# is committed). With a worker running `qualitymonth dashboard refresh` every minute, a busy
# province may turn this off: figures are then at most that minute behind.
QM_DASHBOARD_REFRESH_ON_READ = env_bool("DASHBOARD_REFRESH_ON_READ", True)
QM_SMS_BACKEND = os.environ.get("SMS_BACKEND", "qualitymonth.core.sms.ConsoleBackend")
# Demo installs have no SMS provider: show the "sent" verification code on the page.
QM_SMS_SHOW_CODES_ON_PAGE = env_bool("SMS_SHOW_CODES_ON_PAGE", False)
# (per person, per connection, window in seconds). Whole schools and offices share one public
# address, so the per-connection limits are generous; QUIZ_IP_LIMIT_FACTOR scales them.
_ip_factor = int(os.environ.get("QUIZ_IP_LIMIT_FACTOR", "1"))
QM_QUIZ_RATE_LIMITS = {
    "start": (10, 300 * _ip_factor, 60),
    "answer": (120, 6000 * _ip_factor, 60),
    "submit": (10, 600 * _ip_factor, 60),
}
# Contest votes: (hard limit per connection per minute, flag a connection after this many votes
# in ten minutes, flag a browser after this many in ten minutes). VOTE_IP_LIMIT_FACTOR scales them
# (the vote-storm benchmark sends everything from one address).
_vote_factor = int(os.environ.get("VOTE_IP_LIMIT_FACTOR", "1"))
QM_VOTE_LIMITS = {
    "ip_per_minute": 120 * _vote_factor,
    "flag_ip_per_10min": 60 * _vote_factor,
    "flag_device_per_10min": 25 * _vote_factor,
}
# Background work through django-tasks (the backport of Django 6's django.tasks). Immediate by
# default; a deployment names a queue backend (django-tasks-db, django-tasks-rq) here.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}
# Addresses or networks (after TRUSTED_PROXY_COUNT) that may read /metrics; everyone else gets
# 404. A mistyped entry stops the process here rather than failing every scrape.
QM_METRICS_ALLOWED = env_list("METRICS_ALLOWED_ADDRESSES", "127.0.0.1,::1")
for _allowed in QM_METRICS_ALLOWED:
    try:
        ipaddress.ip_network(_allowed, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"METRICS_ALLOWED_ADDRESSES: {_allowed!r} is not an address or a network."
        ) from None
QM_NOTIFY_BACKENDS = env_list("NOTIFY_BACKENDS", "qualitymonth.core.notify.ConsoleBackend")
# Complaints: below this confidence a new case waits in the office's triage queue.
QM_ROUTING_THRESHOLD = float(os.environ.get("ROUTING_THRESHOLD", "0.6"))
# Enquiries and suggestions have no statutory deadline; this is the city's own service target.
QM_ENQUIRY_TARGET_WORKDAYS = int(os.environ.get("ENQUIRY_TARGET_WORKDAYS", "7"))
# Personal data of cases closed longer than this is removed by `complaints purge-personal-data`.
QM_COMPLAINT_RETENTION_DAYS = int(os.environ.get("COMPLAINT_RETENTION_DAYS", "1095"))
QM_COMPLAINT_ATTACHMENT_MAX_MB = 5
QM_SITE_NAME = _("Quality Month")
QM_PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")
# Several cities on one deployment: "xm.example.org=350200,fz.example.org=350100" (host=city's
# GB/T 2260 code); a request on a mapped host opens on that city's campaign (each host must also
# be in ALLOWED_HOSTS). Without it, / offers a choice of city when several have campaigns.
QM_CITY_HOSTS = {
    host.strip().lower(): code.strip()
    for host, code in (item.split("=", 1) for item in env_list("CITY_HOSTS") if "=" in item)
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
