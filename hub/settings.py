"""Kring settings, driven by environment variables with safe embedded defaults.

With nothing set you get a working site on SQLite and the in-memory channel
layer (``make run``). Production sets DATABASE_URL, REDIS_URL, DJANGO_SECRET_KEY,
DJANGO_ALLOWED_HOSTS and, for single sign-on, the KRING_OIDC_* / KRING_ENTRA_*
variables (see docs/deploy.md).
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
# Where the embedded defaults keep state: SQLite file, generated secret key, mails.
DATA_DIR = Path(os.environ.get("KRING_DATA_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] or default


def _persistent_secret_key() -> str:
    """A random key generated once and kept in DATA_DIR, so sessions survive restarts."""
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or _persistent_secret_key()
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.microsoft",
    "hub",
    "groups",
    "discussions",
    "ideas",
]

# All run synchronously, on the request's thread, under daphne too (hub.asgi).
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hub.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "hub.urls"
WSGI_APPLICATION = None
ASGI_APPLICATION = "hub.asgi.application"

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
                "hub.notifications.context_processors.notifications",
            ],
        },
    },
]

# --- Data stores -----------------------------------------------------------

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'kring.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # A file, not memory, so a daphne process started by the browser tests
    # sees the same test database.
    # One file per test run, so two runs side by side don't share a database.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-kring-{os.getpid()}.sqlite3")}
    # Writers queue up instead of failing: a burst of votes on the embedded default
    # waits its turn (up to 20 s) rather than answering "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=20000;",
    }
elif env_bool("DJANGO_DB_POOL", False):
    # A pool per process (needs psycopg[pool]): the request threads and the WebSocket
    # consumers' threads share its connections.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": int(os.environ.get("DJANGO_DB_POOL_SIZE", "10")),
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DJANGO_DB_PREPARED", True
):
    # Server-side binding lets psycopg prepare a statement once it has run 5 times on a
    # connection; PostgreSQL then skips parsing and, where the plan does not depend on the
    # values, planning it. Search runs unprepared (hub/search/selectors.py). Behind
    # PgBouncer in transaction mode this needs its max_prepared_statements (docs/deploy.md).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )

# Threads per server process for the HTTP requests' synchronous work (hub/asgi.py); each
# keeps its database connection (CONN_MAX_AGE) or takes one from the pool. More requests
# than threads wait their turn.
KRING_HTTP_THREADS = int(os.environ.get("KRING_HTTP_THREADS", "4"))

REDIS_URL = os.environ.get("REDIS_URL", "")

# Which channels-redis layer carries events between processes (docs/realtime.md, "Channel
# layer"): "pubsub" (Redis PUBLISH, the default: one message per group per process) or "core"
# (Redis lists per process, with capacity limits). Both are at-most-once; clients catch up by
# seq from the database.
KRING_CHANNEL_LAYER = os.environ.get("KRING_CHANNEL_LAYER", "pubsub")
KRING_CHANNEL_LAYER_BACKENDS = {
    "pubsub": "hub.layers.PubSubChannelLayer",  # channels-redis's, one leak closed
    "core": "channels_redis.core.RedisChannelLayer",
}
if KRING_CHANNEL_LAYER not in KRING_CHANNEL_LAYER_BACKENDS:
    raise ImproperlyConfigured(
        f"KRING_CHANNEL_LAYER must be one of {', '.join(KRING_CHANNEL_LAYER_BACKENDS)}, "
        f"not {KRING_CHANNEL_LAYER!r}"
    )

if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": KRING_CHANNEL_LAYER_BACKENDS[KRING_CHANNEL_LAYER],
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        # A Redis that accepts but never answers must not hang a post or a
                        # socket: give up, and the fail-open paths take over. The list
                        # layer's own blocking reads wait 5 s, so it needs longer.
                        "socket_connect_timeout": 1,
                        "socket_timeout": 2 if KRING_CHANNEL_LAYER == "pubsub" else 10,
                    }
                ]
            },
        }
    }
    CACHES = {
        "default": {
            # Django's Redis cache, but a Redis that cannot be reached is an empty cache
            # rather than a 500 on every post (hub/cache.py says why that is safe).
            "BACKEND": "hub.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("KRING_CACHE_PREFIX", "kring"),
            # A Redis host that is gone (not just refusing) must not hang a request.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
        "rendered": {  # HTML kept to skip rendering (hub/fragments.py); recomputable
            "BACKEND": "hub.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("KRING_CACHE_PREFIX", "kring") + "-rendered",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    # A database table, not process memory: rate limits and (later) presence
    # must be shared by every process serving the site.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "kring_cache",
        },
        # Kept HTML churns (a new entry per change): in the database cache its culling
        # would delete the rate-limit counters. Per process is fine: entries carry the
        # shared version, and their keys change with what they show.
        "rendered": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "kring-rendered",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
    }

# --- Accounts --------------------------------------------------------------

AUTH_USER_MODEL = "hub.User"
# Django's and allauth's backends, loading the user with the notification badge's counts
# in the same query (hub/auth_backends.py). allauth's first: force_login and allauth use it.
AUTHENTICATION_BACKENDS = [
    "hub.auth_backends.AuthenticationBackend",
    "hub.auth_backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_CLASS = "hub.forms.SignupProfileForm"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Kring] "
# allauth's default limits (failed logins per IP and per account, signups,
# password resets) stay on; they count in the shared cache configured above.
ACCOUNT_RATE_LIMITS = {
    "login_failed": os.environ.get("KRING_LOGIN_FAILED_LIMIT", "10/m/ip,5/5m/key"),
}

SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_PROVIDERS: dict = {}

# Single sign-on is switched on by configuration alone (docs/deploy.md).
if os.environ.get("KRING_ENTRA_CLIENT_ID"):
    SOCIALACCOUNT_PROVIDERS["microsoft"] = {
        "APPS": [
            {
                "client_id": os.environ["KRING_ENTRA_CLIENT_ID"],
                "secret": os.environ.get("KRING_ENTRA_SECRET", ""),
                "settings": {"tenant": os.environ.get("KRING_ENTRA_TENANT", "organizations")},
            }
        ]
    }
if os.environ.get("KRING_OIDC_SERVER_URL"):
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": os.environ.get("KRING_OIDC_ID", "sso"),
                "name": os.environ.get("KRING_OIDC_NAME", "Single sign-on"),
                "client_id": os.environ.get("KRING_OIDC_CLIENT_ID", ""),
                "secret": os.environ.get("KRING_OIDC_SECRET", ""),
                "settings": {"server_url": os.environ["KRING_OIDC_SERVER_URL"]},
            }
        ]
    }

# --- Email -----------------------------------------------------------------

DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Kring <kring@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    # Mails land as files in var/mail/ so a demo can read its verification link.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ.get("KRING_MAIL_DIR", str(DATA_DIR / "mail"))

# --- Language and time -----------------------------------------------------

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Serve straight from static/ (no build step) unless production opts into
# collectstatic with hashed, compressed files: KRING_STATIC_FROM_SOURCE=0.
WHITENOISE_USE_FINDERS = env_bool("KRING_STATIC_FROM_SOURCE", True)
STATIC_ROOT = (
    None
    if WHITENOISE_USE_FINDERS
    else Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if WHITENOISE_USE_FINDERS
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Security --------------------------------------------------------------

# On by default whenever DEBUG is off; set DJANGO_SECURE_TLS=0 only for a
# site that is really served over plain http (a laptop demo, the test suite).
SECURE_TLS = env_bool("DJANGO_SECURE_TLS", not DEBUG)
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SECURE_TLS else "http"  # links in mails
SECURE_SSL_REDIRECT = SECURE_TLS and env_bool("DJANGO_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = SECURE_TLS
CSRF_COOKIE_SECURE = SECURE_TLS
LANGUAGE_COOKIE_SECURE = SECURE_TLS
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 31536000 if SECURE_TLS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
# "preload" only allows submission to the browsers' list; nothing is submitted by itself.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", SECURE_TLS)
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
# Sessions read from Redis, written through to the database (docs/deploy.md, "Sessions"):
# a signed-in request then costs no session query. Opt-in: a session row deleted straight
# from the database (not by signing out) stays valid until its cached copy expires.
# Otherwise Django's database sessions, read by a statement built once (hub/session_store.py).
if REDIS_URL and env_bool("KRING_SESSION_CACHE", False):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    SESSION_ENGINE = "hub.session_store"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# --- Kring -----------------------------------------------------------------

# Name of the Django auth group that holds the leadership permission.
KRING_LEADERSHIP_GROUP = "Leiding"
# Where Kring is reached, for links in mails.
KRING_SITE_URL = os.environ.get("KRING_SITE_URL", "http://127.0.0.1:8000")
# Which kinds of new group wait for staff approval. An improvement group commits
# the organisation to follow up, so by default it needs approval; an interest
# group does not.
KRING_GROUP_APPROVAL = {
    "improvement": env_bool("KRING_APPROVE_IMPROVEMENT_GROUPS", True),
    "interest": env_bool("KRING_APPROVE_INTEREST_GROUPS", False),
}

# New posts (threads and replies) per person per minute; 0 switches the limit off.
KRING_POSTS_PER_MINUTE = int(os.environ.get("KRING_POSTS_PER_MINUTE", "10"))
# Who is viewing a thread: Redis (shared by every daphne process) when REDIS_URL is set,
# else process memory, which is right for the embedded default's single process.
KRING_PRESENCE_REDIS_URL = os.environ.get("KRING_PRESENCE_REDIS_URL", REDIS_URL)
# Trending on idea boards: a vote's weight halves every this many hours (ideas/ranking.py).
KRING_TRENDING_HALF_LIFE_HOURS = float(os.environ.get("KRING_TRENDING_HALF_LIFE_HOURS", "72"))

# Leadership review: ideas with at least this many votes and no official response within
# this many days (counted from reaching the threshold) are flagged "awaiting response".
KRING_RESPONSE_VOTE_THRESHOLD = int(os.environ.get("KRING_RESPONSE_VOTE_THRESHOLD", "10"))
KRING_RESPONSE_DAYS = int(os.environ.get("KRING_RESPONSE_DAYS", "14"))
