"""Kendra settings: one module, every value from the environment.

Development defaults are safe and need no server (SQLite, Celery's filesystem
broker, console email). Tests (pytest sets PYTEST_VERSION) default to the real
PostgreSQL and Redis on loopback. With DJANGO_DEBUG=false nothing is guessed: the
secret key and allowed hosts must be given.
"""

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KENDRA_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()
TESTING = "PYTEST_VERSION" in os.environ


def env_bool(name, default):
    """Accept only true/false spellings, so a typo fails loudly instead of meaning False."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


DEBUG = env_bool("DJANGO_DEBUG", True)

if DEBUG:
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")  # noqa: S105
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
else:
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
    if not SECRET_KEY:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG=false.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS is required when DJANGO_DEBUG=false.")

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The address people open Kendra at: links in SMS and email (check-in links, invitations).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Django admin, for superusers only (kendra/admin_site.py).
    "kendra.admin_site.OperatorsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "csp",
    "simple_history",
    "django_ratelimit",
    "kendra",
    "kendra.notify",
    "checkins",
    "groups",
    "mentors",
    "alumni",
    "families",
    "reports",
    "rota",
    "recovery",
    "staff",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kendra.middleware.IdleTimeoutMiddleware",
    "kendra.middleware.NoStoreMiddleware",
    "kendra.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so it sees the outcome of authentication (lockout after repeated failures).
    "axes.middleware.AxesMiddleware",
]

# The benchmark harness (bench/): its commands (seed_scale, bench_fanout, bench_import),
# the floor page and a per-request SQL query count header. Never on in production;
# bench/run.py and bench/profile.py turn it on for everything they run.
KENDRA_BENCH = env_bool("KENDRA_BENCH", False)
if KENDRA_BENCH:
    INSTALLED_APPS.append("bench")
    MIDDLEWARE.insert(0, "bench.middleware.QueryCountMiddleware")

ROOT_URLCONF = "kendra.urls"
WSGI_APPLICATION = "kendra.wsgi.application"

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
                "kendra.context_processors.navigation",
            ],
        },
    },
]

_default_db = (
    "postgres://postgres@127.0.0.1:5432/kendra"
    if TESTING
    else f"sqlite:///{VAR_DIR / 'kendra.sqlite3'}"
)
DATABASES = {"default": env.db_url("DATABASE_URL", default=_default_db)}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if DEBUG else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing cost is a production concern; tests create hundreds of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, loading the memberships with the user.
    "kendra.backends.MembershipBackend",
]
# Sign-in protection: five wrong passwords lock that username from that address for an hour.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Behind nginx (deploy/nginx-kendra.conf) set KENDRA_TRUSTED_PROXIES=1: the client address
# is then read from X-Forwarded-For (kendra/clientip.py), for lockout, audit and rate limits.
# 0 (the default) ignores the header, which a client can forge.
KENDRA_TRUSTED_PROXIES = env.int("KENDRA_TRUSTED_PROXIES", default=0)
AXES_CLIENT_IP_CALLABLE = "kendra.clientip.client_ip"
RATELIMIT_IP_META_KEY = "kendra.clientip.client_ip"

# Pages opened by a token without signing in (check-in links, calendar feeds, invitations):
# requests per token, and per client address across them all (kendra/ratelimits.py). The
# "I need help now" press is never counted or refused.
KENDRA_RATE_PER_TOKEN = os.environ.get("KENDRA_RATE_PER_TOKEN", "30/m")
KENDRA_RATE_PER_ADDRESS = os.environ.get("KENDRA_RATE_PER_ADDRESS", "120/m")
# django-ratelimit counts in the default cache. Kendra's Redis cache is Django's own
# (atomic INCR), not one of the backends the library knows by name.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]

# Idle sign-out: staff after 30 minutes (shared desktops), family members after 30 days.
STAFF_IDLE_SECONDS = env.int("STAFF_IDLE_SECONDS", default=30 * 60)
FAMILY_IDLE_SECONDS = env.int("FAMILY_IDLE_SECONDS", default=30 * 24 * 3600)
SESSION_COOKIE_AGE = FAMILY_IDLE_SECONDS

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("hi", _("Hindi"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Kolkata")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["kendra.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Email: console in development; EMAIL_URL (smtp://user:pass@host:port) elsewhere.
if os.environ.get("EMAIL_URL"):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Kendra <kendra@localhost>")

# SMS: console by default; an HTTP gateway when SMS_GATEWAY_URL is set.
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
SMS_GATEWAY_TIMEOUT = env.float("SMS_GATEWAY_TIMEOUT", default=10.0)
# Which gateway module speaks to the SMS provider (kendra/notify/gateways/): "console"
# prints, "http" posts JSON to SMS_GATEWAY_URL; blank: "http" when a URL is set.
SMS_PROVIDER = os.environ.get("SMS_PROVIDER", "")
# The gateway's delivery reports to /notifications/sms/status/ are signed with this
# (X-Signature-256: sha256=HMAC of the body); unset, every report is refused.
SMS_GATEWAY_WEBHOOK_SECRET = os.environ.get("SMS_GATEWAY_WEBHOOK_SECRET", "")
# India's DLT registration (kendra/notify/templates.py): the principal entity id, the
# sender header, and each message's template id as "kind.language=id,…" (printed by
# `manage.py messaging_templates`). A centre registered separately overrides them in
# SMS_DLT_CENTRES, JSON: {"<centre id>": {"entity_id": …, "sender": …, "templates": {…}}}.
SMS_DLT_ENTITY_ID = os.environ.get("SMS_DLT_ENTITY_ID", "")
SMS_DLT_SENDER = os.environ.get("SMS_DLT_SENDER", "")
SMS_DLT_TEMPLATE_IDS = env.dict("SMS_DLT_TEMPLATE_IDS", default={})
SMS_DLT_CENTRES = env.json("SMS_DLT_CENTRES", default={})
# WhatsApp Business Platform (Cloud API): "cloud_api" sends through Meta, "console" prints,
# blank: "cloud_api" when a phone number id is set, otherwise WhatsApp is not offered.
WHATSAPP_PROVIDER = os.environ.get("WHATSAPP_PROVIDER", "")
WHATSAPP_API_URL = os.environ.get("WHATSAPP_API_URL", "https://graph.facebook.com/v21.0")
WHATSAPP_PHONE_NUMBER_ID = os.environ.get("WHATSAPP_PHONE_NUMBER_ID", "")
WHATSAPP_TOKEN = os.environ.get("WHATSAPP_TOKEN", "")
# The app secret signs the status webhooks (X-Hub-Signature-256); the verify token is the
# one typed into Meta's webhook set-up (the GET handshake).
WHATSAPP_APP_SECRET = os.environ.get("WHATSAPP_APP_SECRET", "")
WHATSAPP_VERIFY_TOKEN = os.environ.get("WHATSAPP_VERIFY_TOKEN", "")
WHATSAPP_TIMEOUT = env.float("WHATSAPP_TIMEOUT", default=10.0)
# Approved template names, "kind=name,…" (default: kendra_<kind>).
WHATSAPP_TEMPLATE_NAMES = env.dict("WHATSAPP_TEMPLATE_NAMES", default={})
EMAIL_TIMEOUT = env.float("EMAIL_TIMEOUT", default=10.0)

# Delivery (kendra/notify/outbox.py): a transient failure is retried after the base delay,
# doubling each time up to the cap (with jitter), until the message's own expiry.
NOTIFY_RETRY_BASE_SECONDS = env.float("NOTIFY_RETRY_BASE_SECONDS", default=30.0)
NOTIFY_RETRY_MAX_SECONDS = env.float("NOTIFY_RETRY_MAX_SECONDS", default=600.0)
# Help and escalation messages go on this Celery queue, consumed by a worker of its own
# (README, "The urgent lane"); everything else on the default queue, "celery".
NOTIFY_URGENT_QUEUE = "urgent"
CELERY_TASK_DEFAULT_QUEUE = "celery"
# The not-delivered page shows what failed or expired in this many days.
NOTIFY_UNDELIVERED_DAYS = 14

# A hung Redis must not hang pages: seconds to connect and to wait for an answer, for the
# cache and the broker alike.
REDIS_CONNECT_TIMEOUT = env.float("REDIS_CONNECT_TIMEOUT", default=1.0)
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=1.0)

# The national helpline shown to a resident who asks for help when nobody could be
# reached (with the centre's own emergency number): Tele-MANAS, free, day and night.
KENDRA_HELPLINE = os.environ.get("KENDRA_HELPLINE", "14416")
KENDRA_HELPLINE_NAME = os.environ.get("KENDRA_HELPLINE_NAME", "Tele-MANAS")

# Phone numbers written without a country code are read in this region (ISO 3166 code;
# kendra/phones.py). Stored numbers are E.164 whatever the region.
KENDRA_PHONE_REGION = os.environ.get("KENDRA_PHONE_REGION", "IN").upper()

# Celery: Redis when REDIS_URL says so, otherwise a filesystem broker that needs no server.
_default_redis = "redis://127.0.0.1:6379/0" if TESTING else ""
REDIS_URL = os.environ.get("REDIS_URL", _default_redis)
# Every key Kendra writes to Redis (cache and Celery queues) starts with this, so several
# installations, or the parallel workers of one test run, can share a Redis db. pytest-xdist
# names each worker process in PYTEST_XDIST_WORKER (gw0, gw1, …): each gets its own prefix.
REDIS_KEY_PREFIX = os.environ.get("REDIS_KEY_PREFIX", "")
if TESTING and os.environ.get("PYTEST_XDIST_WORKER"):
    REDIS_KEY_PREFIX += f"test-{os.environ['PYTEST_XDIST_WORKER']}"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
        "socket_timeout": REDIS_SOCKET_TIMEOUT,
    }
    if REDIS_KEY_PREFIX:
        CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] = f"{REDIS_KEY_PREFIX}:"
    CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_CONNECT_TIMEOUT
else:
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # Exchange tables: under var/ too, never in the working directory (kombu's default).
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
# The cache carries progress of long work between worker and web, rate limits and the
# unread count: Redis when there is one, otherwise files under var/ (shared by the
# processes of `make run`). Never anything about a resident's health.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "kendra.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": REDIS_KEY_PREFIX,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
if DEBUG and not REDIS_URL:
    # Development without Redis: the file cache counts approximately, which is enough there.
    # In production the check stays an error: rate limits need Redis.
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=120)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=100)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TASK_ALWAYS_EAGER = False

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Content Security Policy: no inline scripts anywhere; styles may be inline (Bootstrap).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Every line Kendra logs has the tokens of check-in, feed and invitation addresses
# redacted (kendra/logredact.py), runserver's request lines included.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "kendra.logredact.RedactTokens"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_tokens"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # Django's own console handler would write unredacted lines: the root's is used.
        "django": {"handlers": [], "level": "INFO"},
    },
}
