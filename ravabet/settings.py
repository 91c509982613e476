"""Ravabet settings: every deployment difference comes from the environment.

Defaults give a working laptop setup (SQLite, local media, console SMS/email);
production sets DATABASE_URL, REDIS_URL, S3 variables, SECRET_KEY and ALLOWED_HOSTS.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str = "False") -> bool:
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envlist(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = envbool("DEBUG", "True")
TESTING = envbool("RAVABET_TESTING") or "pytest" in sys.modules
# The key in the source, for a laptop only: `make run` warns while it is in use (issue 13, point 8).
DEVELOPMENT_SECRET_KEY = "dev-only-not-secret-" + "x" * 40
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "ravabet.offices.adminconfig.RavabetAdminConfig",
    "django.forms",  # Django's widget templates, for FORM_RENDERER below
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks_db",
    "axes",
    "captcha",
    "ninja",
    "ravabet.lib",
    "ravabet.offices",
    "ravabet.audit",
    "ravabet.outbox",
    "ravabet.workflow",
    "ravabet.jobs",
    "ravabet.compliance",
    "ravabet.photos",
    "ravabet.news",
    "ravabet.complaints",
    "ravabet.planning",
    "ravabet.messaging",
    "ravabet.reports",
    "ravabet.press",
    "ravabet.occasions",
    "ravabet.hqtasks",
    "ravabet.events",
    "ravabet.surveys",
    "ravabet.visits",
    "ravabet.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ravabet.news.pagecache.PublicNewsroomMiddleware",  # a cookie-less visitor's cached newsroom page, early
    "ravabet.lib.middleware.CleanQueryMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "ravabet.api.middleware.ApiErrorShapeMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ravabet.audit.middleware.RefusalLogMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ravabet.offices.middleware.UnitScopeMiddleware",
    "ravabet.offices.session_limits.SessionLimitsMiddleware",
    "ravabet.offices.twofactor.TwoFactorEnrolmentMiddleware",
    "axes.middleware.AxesMiddleware",
]

if envbool("RAVABET_QUERY_COUNT"):
    MIDDLEWARE.insert(0, "ravabet.lib.querycount.QueryCountMiddleware")

ROOT_URLCONF = "ravabet.urls"
WSGI_APPLICATION = "ravabet.wsgi.application"

# Widgets are drawn by the project's template engine, so ravabet/templates/django/forms/widgets/select.html
# (options built in Python, lib/templatetags/options.py) replaces Django's option-by-option include.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ravabet" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "ravabet.offices.context_processors.shell",
            ],
            "builtins": ["ravabet.lib.templatetags.persian"],
        },
    }
]

# In production a worker keeps its database connection between requests (checked before reuse) instead of
# opening one per request (issue 11: a PostgreSQL connection costs milliseconds a request); the development
# server's threads each open their own, so there it stays per request.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'ravabet.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Short OLTP queries: PostgreSQL's JIT compiled every query whose plan cost passed 100,000 (a search over
    # a million news items) and spent 80 ms compiling for a 10 ms query (issue 18 §5). PG_JIT=1 turns it back on.
    if not envbool("PG_JIT"):
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the worker share one file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "offices.User"

# The tests keep the cache in each process's memory whatever REDIS_URL says: every test starts by emptying it
# (conftest), which on a shared Redis would empty it under the other test processes too.
if os.environ.get("REDIS_URL") and not TESTING:
    CACHES = {
        "default": {
            "BACKEND": "ravabet.lib.rediscache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "ravabet",
        }
    }
    # Sessions read from Redis, written through to the database (Django's cached_db): one query less on every
    # staff page (issue 11). Only with a cache all workers share: a worker's own memory could keep a session
    # that another worker has ended.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Long lists keep their drawn rows in that cache (lib.rowcache, `{% cachedrows %}`); ROW_CACHE=0 draws every row
# on every request (to compare, or to rule the cache out).
RAVABET_ROW_CACHE = envbool("ROW_CACHE", "True")

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": [],
    }
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "ravabet.offices.backends.KeptUserBackend",  # ModelBackend reading the user from offices.kept
    # Sessions signed in before KeptUserBackend name this backend; listed so they stay signed in (at most
    # SESSION_MAX_HOURS more). Its authenticate() repeats only a failed password check.
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
OTP_TOTP_ISSUER = "Ravabet"
# HQ heads and experts must enrol a two-step login device at their first login. TWO_FACTOR_REQUIRED=0
# relaxes it (the laptop demo: `make run` sets it); the admin always needs a code. Off in tests by default.
RAVABET_TWO_FACTOR_REQUIRED = envbool("TWO_FACTOR_REQUIRED", "False" if TESTING else "True")
RAVABET_TWO_FACTOR_ROLES = envlist("TWO_FACTOR_ROLES", "hq_head,hq_expert")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
# How long (seconds) HQ's evaluation board is served before it is scored again (ravabet/compliance/board.py).
COMPLIANCE_LIVE_SECONDS = envint("COMPLIANCE_LIVE_SECONDS", 300)
# ravabet.lib.ratelimit (Redis when REDIS_URL is set, the database otherwise): failed logins per client
# address across usernames and per account across addresses in 15 minutes; reset requests per hour.
RAVABET_LOGIN_FAILURES_PER_ADDRESS = envint("LOGIN_FAILURES_PER_ADDRESS", 30)
RAVABET_LOGIN_FAILURES_PER_ACCOUNT = envint("LOGIN_FAILURES_PER_ACCOUNT", 10)
RAVABET_RESETS_PER_ADDRESS = envint("PASSWORD_RESETS_PER_ADDRESS", 10)
RAVABET_RESETS_PER_ACCOUNT = envint("PASSWORD_RESETS_PER_ACCOUNT", 3)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = envbool("AXES_ENABLED", "True")

LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", "فارسی")]
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "ravabet" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "ravabet.lib.storage.StaticFilesStorage"
    },
}
if os.environ.get("S3_BUCKET"):
    s3_options = {
        "bucket_name": os.environ["S3_BUCKET"],
        "endpoint_url": os.environ.get("S3_ENDPOINT_URL"),
        "access_key": os.environ.get("S3_ACCESS_KEY"),
        "secret_key": os.environ.get("S3_SECRET_KEY"),
        "region_name": os.environ.get("S3_REGION"),
        "file_overwrite": False,
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**s3_options, "location": "public", "querystring_auth": False},
    }
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**s3_options, "location": "private", "default_acl": "private"},
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024

# Content Security Policy: nothing from outside, no inline scripts.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Behind a reverse proxy every request comes from the proxy's address: name the header
# that carries the citizen's address (e.g. HTTP_X_REAL_IP) so rate limits count per citizen.
RAVABET_CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER") or None
if RAVABET_CLIENT_IP_HEADER:
    AXES_IPWARE_META_PRECEDENCE_ORDER = [RAVABET_CLIENT_IP_HEADER, "REMOTE_ADDR"]

# ravabet.lib.safefetch refuses inside addresses (loopback, link-local, private) unless listed here (CIDR).
RAVABET_FETCH_ALLOWED_NETWORKS = envlist("FETCH_ALLOWED_NETWORKS")
SESSION_COOKIE_HTTPONLY = True
# Staff sessions end after 30 minutes without a request and after 12 hours in all (issue 13, point 4).
RAVABET_SESSION_IDLE_SECONDS = envint("SESSION_IDLE_MINUTES", 30) * 60
RAVABET_SESSION_MAX_SECONDS = envint("SESSION_MAX_HOURS", 12) * 3600
SESSION_COOKIE_AGE = RAVABET_SESSION_MAX_SECONDS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "True")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Outgoing messages: every SMS and email is a row in the outbox first.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ravabet@localhost")
MAILERS = {
    # Django's mail API (password reset and the like) only writes into the outbox...
    "default": {"BACKEND": "ravabet.outbox.email_backend.OutboxEmailBackend"},
    # ...and the outbox worker delivers through this one when OUTBOX_EMAIL_TRANSPORT=smtp.
    "smtp": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": envint("EMAIL_PORT", 25),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": envbool("EMAIL_USE_TLS"),
            "timeout": 20,
        },
    },
}
OUTBOX = {
    # "console" writes to var/outbox.log; "smtp" uses the EMAIL_* settings above.
    "EMAIL_TRANSPORT": os.environ.get("OUTBOX_EMAIL_TRANSPORT", "console"),
    # "console", or "kavenegar" (needs KAVENEGAR_API_KEY and KAVENEGAR_SENDER).
    "SMS_TRANSPORT": os.environ.get("OUTBOX_SMS_TRANSPORT", "console"),
    "KAVENEGAR_API_KEY": os.environ.get("KAVENEGAR_API_KEY", ""),
    "KAVENEGAR_SENDER": os.environ.get("KAVENEGAR_SENDER", ""),
    "KAVENEGAR_URL": os.environ.get("KAVENEGAR_URL", "https://api.kavenegar.com/v1"),
    "CONSOLE_LOG": Path(os.environ.get("OUTBOX_CONSOLE_LOG", BASE_DIR / "var" / "outbox.log")),
    "MAX_ATTEMPTS": envint("OUTBOX_MAX_ATTEMPTS", 8),
    "BATCH_SIZE": envint("OUTBOX_BATCH_SIZE", 50),
    "SMS_PER_SECOND": envint("OUTBOX_SMS_PER_SECOND", 20),
    "SMS_MAX_LENGTH": envint("OUTBOX_SMS_MAX_LENGTH", 670),
}

# Offices close on Friday and, in most provinces, Thursday (0=Monday ... 6=Sunday).
WEEKEND_DAYS = [int(day) for day in envlist("WEEKEND_DAYS", "3,4")]

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
CAPTCHA_FONT_SIZE = 30
CAPTCHA_LETTER_ROTATION = (-20, 20)
CAPTCHA_CHALLENGE_FUNCT = "captcha.helpers.math_challenge"
# django-simple-captcha reads this once at import, so tests need it here, not in a fixture.
CAPTCHA_TEST_MODE = envbool("CAPTCHA_TEST_MODE") or TESTING
# A plain GET of the public forms picks a captcha from a pool the scheduler keeps filled
# (complaints.refill_captcha_pool) instead of writing a row per visit (issue 11 §5). A pooled captcha lives an
# hour and is handed out while 20 minutes of it are left; each is deleted once solved. Off in tests, which
# have no scheduler.
CAPTCHA_GET_FROM_POOL = envbool("CAPTCHA_POOL", "False" if TESTING else "True")
CAPTCHA_TIMEOUT = envint("CAPTCHA_TIMEOUT_MINUTES", 60)
CAPTCHA_GET_FROM_POOL_TIMEOUT = 20
CAPTCHA_POOL_SIZE = envint("CAPTCHA_POOL_SIZE", 300)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # The worker command adds its own handler to these; not propagating avoids every line twice.
    "loggers": {name: {"propagate": False} for name in ("django.tasks", "django_tasks_db")},
}
