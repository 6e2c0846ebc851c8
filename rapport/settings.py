"""Rapport settings: one module, driven by environment variables (see .env.example).

The defaults are the embedded, one-machine setup: SQLite in WAL mode, local media, the
database-backed task queue. Every variable that changes them is documented in .env.example.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from rapport.lib.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("RAPPORT_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DJANGO_DEBUG", False)
# Sessions, password-reset links and CSRF tokens are signed with this key: a production server
# must never run on a key that is published in this repository. Only DEBUG (a developer's own
# machine) may use the development key; `make demo` generates a key of its own in var/, and the
# test suite sets one in rapport/settings_test.py.
SECRET_KEY = env_secret("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. A production server needs its own secret key: set "
            "DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE, a file holding it) to a long random "
            "string (python -c 'import secrets; print(secrets.token_urlsafe(50))'). On a "
            "development machine set DJANGO_DEBUG=1 instead."
        )
    SECRET_KEY = "rapport-development-only-secret-key-never-used-when-debug-is-off-0123456789"
# Keys a previous secret key signed or encrypted with still open (Django's key rotation): after
# changing DJANGO_SECRET_KEY, keep the old one here until `manage.py reencrypt` has run
# (docs/deployment.md). Confidential text at rest is encrypted with keys derived from these and
# the salts below (rapport/lib/crypto.py); the first of each is the current one.
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")
SALT_KEY = env_list("RAPPORT_ENCRYPTION_SALT", "rapport-confidential-text")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "axes",
    "accounts",
    "organizations",
    "programs",
    "cohorts",
    "events",
    "notifications",
    "circles",
    "discussions",
    "moderation",
    "reflections",
    "growth",
    "coaching",
    "experts",
    "assessments",
    "analytics",
    "design_review",
    "demo",
    "rapport.apps.RapportConfig",  # the access system check (rapport/checks.py)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "rapport.views.ErrorPageMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rapport.urls"
WSGI_APPLICATION = "rapport.wsgi.application"

TEMPLATES = [
    # Product pages render with Jinja2: measured ~4x faster than the Django engine for the same
    # page on these machines, and page rendering dominates a request's cost (docs/performance.md).
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "rapport.jinja2.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
    # The Django admin (the programme studio) keeps Django's own engine.
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates" / "django"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'rapport.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The statements kept by rapport.compiled (the signed-in person, the seat, the progress
    # rows: every learner page) are prepared on the connection after this many runs, so
    # PostgreSQL stops planning them on each request. Django's own queries are never prepared.
    # Empty turns it off, for a pooler that cannot keep prepared statements (PgBouncer before
    # 1.21, or without max_prepared_statements, in transaction mode).
    _prepare = env_str("DATABASE_PREPARE_THRESHOLD", "5")
    if _prepare:
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = int(_prepare)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer commits; IMMEDIATE transactions avoid the
    # "database is locked" upgrade deadlock when two requests write at once. secure_delete
    # overwrites deleted content with zeros, so an erased person's text is not left in free
    # pages of the file (accounts/erasure.py).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA busy_timeout=20000; PRAGMA cache_size=-64000; PRAGMA mmap_size=268435456; "
            "PRAGMA secure_delete=ON;"
        ),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 600)
    # A file (not :memory:) so tests exercise WAL like production; one per process so that two
    # test runs on one machine never share a database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# The throttle comes first: a locked-out sign-in is refused before any password is checked.
AUTHENTICATION_BACKENDS = ["accounts.throttling.ThrottleBackend", "accounts.backends.EmailBackend"]
# auth.W004: the email is unique per organisation, not across the installation (accounts are
# per organisation: docs/decisions/0006-accounts-per-organisation.md); EmailBackend signs in by
# email and password and the constraints on accounts.User keep each organisation's unique.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "rapport",
    }
}
if redis_url := env_str("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": redis_url,
    }
# cached_db: sessions survive a restart (database) but a warm request reads them from the cache.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14

TASKS = {
    "default": {
        "BACKEND": env_str("RAPPORT_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": [],
    }
}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("RAPPORT_MEDIA_ROOT", str(VAR_DIR / "media")))
# Media is never served from a public URL: every file goes through an access-checked view.
MEDIA_URL = "/media-not-public/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("RAPPORT_PLAIN_STATIC", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Email goes to the SMTP server named by EMAIL_HOST. Without one, a production server refuses to
# start rather than print people's reset links into its log; development (DEBUG) and the demo
# (RAPPORT_EMAIL_CONSOLE=1, an explicit opt-in) print emails to the console instead.
if email_host := env_str("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "accounts.emails.SMTPEmailBackend",
            "OPTIONS": {
                "host": email_host,
                "port": env_int("EMAIL_PORT", 587),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 20,
            },
        }
    }
elif DEBUG or env_bool("RAPPORT_EMAIL_CONSOLE", False):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    raise ImproperlyConfigured(
        "EMAIL_HOST is not set, so Rapport cannot send password-reset emails. Set EMAIL_HOST (and "
        "EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD) to your SMTP server, or set "
        "RAPPORT_EMAIL_CONSOLE=1 to print emails to the server's console (demos only)."
    )
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Rapport <rapport@localhost>")

# HTTP security headers. The defaults suit plain-HTTP development; behind TLS switch on the
# redirect, secure cookies and HSTS (docs/deployment.md lists the production values).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", False)
# A load balancer's health probe may come over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Scripts take the CSRF token from the page (base.html), never from the cookie.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "media-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Product settings
RAPPORT_MIN_GROUP_SIZE = env_int("RAPPORT_MIN_GROUP_SIZE", 5)
# Days without any activity after which a learner is on their coach's "needs you now" list.
RAPPORT_CASELOAD_QUIET_DAYS = env_int("RAPPORT_CASELOAD_QUIET_DAYS", 7)
RAPPORT_MAX_MEDIA_UPLOAD_MB = env_int("RAPPORT_MAX_MEDIA_UPLOAD_MB", 500)
RAPPORT_MAX_IMPORT_ROWS = env_int("RAPPORT_MAX_IMPORT_ROWS", 20000)
RAPPORT_MAX_IMPORT_MB = env_int("RAPPORT_MAX_IMPORT_MB", 5)
# Largest file a coach or learner may attach to a message (coaching.attachments), and how many.
RAPPORT_MAX_ATTACHMENT_MB = env_int("RAPPORT_MAX_ATTACHMENT_MB", 10)
RAPPORT_MAX_ATTACHMENTS = env_int("RAPPORT_MAX_ATTACHMENTS", 3)
# Where people reach Rapport: links in emails sent by the task worker (which has no request).
RAPPORT_SITE_URL = env_str("RAPPORT_SITE_URL", "http://127.0.0.1:8000")
# How long an invitation link works; it also stops working once used.
RAPPORT_INVITATION_DAYS = env_int("RAPPORT_INVITATION_DAYS", 14)
# A queued or claimed notification digest left unsent this long (its worker died) is queued again.
RAPPORT_DIGEST_LEASE_SECONDS = env_int("RAPPORT_DIGEST_LEASE_SECONDS", 300)
# xAPI statements forwarded to a Learning Record Store (events/forwarding.py,
# docs/deployment.md). Empty URL: nothing is queued or sent.
RAPPORT_XAPI_LRS_URL = env_str("RAPPORT_XAPI_LRS_URL")  # the xAPI endpoint, before /statements
RAPPORT_XAPI_LRS_USERNAME = env_str("RAPPORT_XAPI_LRS_USERNAME")
RAPPORT_XAPI_LRS_PASSWORD = env_secret("RAPPORT_XAPI_LRS_PASSWORD")
RAPPORT_XAPI_BATCH_SIZE = env_int("RAPPORT_XAPI_BATCH_SIZE", 200)  # statements per POST
RAPPORT_XAPI_TIMEOUT_SECONDS = env_int("RAPPORT_XAPI_TIMEOUT_SECONDS", 30)
RAPPORT_XAPI_LEASE_SECONDS = env_int("RAPPORT_XAPI_LEASE_SECONDS", 300)  # a dead worker's claim

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("RAPPORT_LOG_LEVEL", "INFO")},
    # httpx logs every request at INFO (the xAPI forwarder's POSTs): the forwarder logs counts.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "httpx": {"level": "WARNING"}},
}
CSRF_FAILURE_VIEW = "rapport.views.csrf_failure"

# Sign-in throttling (django-axes; accounts/throttling.py): after RAPPORT_SIGN_IN_FAILURE_LIMIT
# failed sign-ins for one email address from one network address, that pair is refused for
# RAPPORT_SIGN_IN_COOLOFF_MINUTES, on the product's sign-in and the studio's alike. The pair, not
# the address alone, so that nobody can lock a colleague out from elsewhere.
AXES_FAILURE_LIMIT = env_int("RAPPORT_SIGN_IN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("RAPPORT_SIGN_IN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.throttling.sign_in_username"
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.throttling.locked_out"
AXES_RESET_ON_SUCCESS = True
# Failed attempts are what the throttle needs; a row per successful sign-in is not.
AXES_DISABLE_ACCESS_LOG = True
