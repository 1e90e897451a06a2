"""Atlas settings: one file, every value that differs between machines read from the environment.

The helpers below refuse values they cannot parse instead of guessing, and a production setup
(DEBUG off) refuses to start without a real SECRET_KEY.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import dotenv
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

# A checkout's own settings: `make setup` writes a git-ignored .env (DEBUG=true and a generated
# SECRET_KEY) so every command works in a new shell. The real environment always wins, and a
# production host sets its own; ATLAS_ENV_FILE names another file ("" for none).
ENV_FILE = os.environ.get("ATLAS_ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE and Path(ENV_FILE).is_file():
    dotenv.load_dotenv(ENV_FILE, override=False)


def envbool(name: str, default: bool) -> bool:
    """Read a boolean; anything but the usual spellings of true/false is an error."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    """Read a positive integer; anything else is an error."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if not value.isdigit() or int(value) <= 0:
        raise ImproperlyConfigured(f"{name} must be a positive whole number, not {value!r}")
    return int(value)


def envseconds(name: str, default: int) -> int:
    """Read a whole number of seconds, 0 allowed (0 turns the feature off)."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if not value.isdigit():
        raise ImproperlyConfigured(f"{name} must be a whole number of seconds, not {value!r}")
    return int(value)


def envlist(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list, ignoring blanks."""
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (`make setup` writes a local .env with "
            "DEBUG=true; production sets its own)."
        )
    # A development key only ever exists with DEBUG on; it is never a production fallback.
    SECRET_KEY = "insecure-development-key-debug-only"
elif len(SECRET_KEY) < 32 and not DEBUG:
    raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long in production.")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])

INSTALLED_APPS = [
    # The admin is not autodiscovered (django-leaflet's admin module imports GDAL, DESIGN.md
    # decision 2): atlas/urls.py imports the admin modules we use. Its site lets members of the
    # editor and reviewer groups in (atlas/admin.py).
    "atlas.apps.AtlasAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "leaflet",
    "reversion",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "events",
]

# Background jobs (an import uploaded in the admin): django-tasks. By default the queue is kept
# in Atlas's own database (SQLite or PostgreSQL), so a bare machine needs no other service and
# `make run` starts its worker; ATLAS_TASKS=rq puts the queue on Redis (REDIS_URL) for
# production. `manage.py worker` runs the worker of whichever is set.
ATLAS_TASKS = os.environ.get("ATLAS_TASKS", "database")
if ATLAS_TASKS == "rq":
    INSTALLED_APPS.insert(INSTALLED_APPS.index("events"), "django_rq")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {
        "default": {"URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")},
    }
elif ATLAS_TASKS == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
else:
    raise ImproperlyConfigured(f"ATLAS_TASKS: {ATLAS_TASKS!r} is neither 'database' nor 'rq'")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "atlas.urls"

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
            ],
        },
    },
]

# Form widgets render through the template engines, so templates/ can hold our own widgets.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "atlas.wsgi.application"

# SQLite in a file by default, so a new user needs nothing but pip; PostgreSQL (psycopg 3)
# when DATABASE_URL names one.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{os.environ.get('SQLITE_PATH', BASE_DIR / 'db.sqlite3')}",
        conn_max_age=envseconds("CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] not in (
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
):
    raise ImproperlyConfigured("DATABASE_URL must name a SQLite or PostgreSQL database.")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Readers never wait for a writer (WAL); a writer waits up to `timeout` seconds for
    # another, and takes the write lock when its transaction begins (IMMEDIATE), so two saves
    # queue instead of failing with "database is locked" half-way. Long imports commit in
    # batches (events/imports.py) so nobody waits long.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": envseconds("SQLITE_TIMEOUT", 30),
    }
    # The test database is a file too: the concurrency tests need real connections. Two
    # suites at once (two checkouts' worth of work) each name their own.
    test_path = os.environ.get("SQLITE_TEST_PATH", str(BASE_DIR / "var" / "test.sqlite3"))
    DATABASES["default"]["TEST"] = {"NAME": test_path}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The committed fixtures: places (built by build_gazetteer), actors, seed reports and events.
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one user name
# from one address, that pair is locked out for AXES_COOLOFF_MINUTES, right password or not.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
# Files editors upload (dataset imports waiting for or read by the worker); never served.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "uploads"))
# WhiteNoise serves STATIC_ROOT (after collectstatic) from the app itself, gzipped and brotli'd;
# with DEBUG on it serves the source folders directly.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

# HTTPS. Production defaults are the strict ones; `make serve` turns them off to serve plain
# HTTP on this machine. Behind a proxy that ends TLS, SECURE_PROXY_SSL_HEADER names the header
# it sets (e.g. HTTP_X_FORWARDED_PROTO) and CSRF_TRUSTED_ORIGINS the public origin.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = envseconds("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG)
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
_proxy_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "")
if _proxy_header:
    if not _proxy_header.startswith("HTTP_"):
        raise ImproperlyConfigured(
            f"SECURE_PROXY_SSL_HEADER must name a request header such as HTTP_X_FORWARDED_PROTO, "
            f"not {_proxy_header!r}"
        )
    SECURE_PROXY_SSL_HEADER = (_proxy_header, "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Errors leave a trace: everything at LOG_LEVEL and above, and every server error with its
# traceback, goes to standard error (gunicorn and systemd keep it).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["stderr"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        # Failed logins and lockouts are warnings; axes' bookkeeping is not worth a line.
        "axes": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
    },
}

# The region Atlas covers: Syria and Iraq. Coordinates outside it are refused by the gazetteer
# and the admin (geopy's Point parser silently swaps malformed input, see NOTES.md).
ATLAS_REGION = {"south": 29.0, "west": 35.5, "north": 37.5, "east": 48.8}

# The in-memory gazetteer and actor indexes look for changes other processes made at most this
# often (a change made in this process is seen at once): events/table_index.py.
ATLAS_INDEX_RECHECK_SECONDS = envseconds("ATLAS_INDEX_RECHECK_SECONDS", 1)

# Extraction (events/pipeline). A report larger than this is refused with a message.
ATLAS_REPORT_MAX_BYTES = envint("ATLAS_REPORT_MAX_BYTES", 1_000_000)
# Opt-in online fallback for place names the gazetteer lacks: geopy's Nominatim, at most one
# request a second, identified by this user agent (Nominatim's usage policy asks for one).
# Off by default: Atlas works offline, and tests never use it.
ATLAS_GEOCODER_ONLINE = envbool("ATLAS_GEOCODER_ONLINE", False)
ATLAS_GEOCODER_USER_AGENT = os.environ.get("ATLAS_GEOCODER_USER_AGENT", "")
if ATLAS_GEOCODER_ONLINE and not ATLAS_GEOCODER_USER_AGENT:
    raise ImproperlyConfigured(
        "ATLAS_GEOCODER_ONLINE needs ATLAS_GEOCODER_USER_AGENT (an app name and a contact)."
    )

# django-leaflet serves Leaflet itself; no tile layer by default, so nothing leaves the
# machine. ATLAS_TILES_URL names an optional raster layer (e.g. your own tile server).
ATLAS_TILES_URL = os.environ.get("ATLAS_TILES_URL", "")
ATLAS_TILES_ATTRIBUTION = os.environ.get("ATLAS_TILES_ATTRIBUTION", "")
# A strict Content-Security-Policy on every response, the admin's included (django-csp): no
# inline script anywhere, data reaches scripts through json_script and data attributes.
# Style attributes stay allowed (the admin and Leaflet set them); style elements do not.
_tiles_origin = "/".join(ATLAS_TILES_URL.split("/", 3)[:3]) if ATLAS_TILES_URL else ""
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *([_tiles_origin] if _tiles_origin else [])],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LEAFLET_CONFIG = {
    "TILES": [("Tiles", ATLAS_TILES_URL, {"attribution": ATLAS_TILES_ATTRIBUTION})]
    if ATLAS_TILES_URL
    else [],
    "DEFAULT_CENTER": (35.1, 40.0),  # eastern Syria: Palmyra to Abu Kamal, Deir ez-Zor
    "DEFAULT_ZOOM": 7,
    "MIN_ZOOM": 5,
    "MAX_ZOOM": 16,
    "RESET_VIEW": False,
    "ATTRIBUTION_PREFIX": "Atlas · GeoNames (CC BY 4.0) · Natural Earth",
}
