"""Atlas settings: one file, every value that differs between machines read from the environment.

The helpers below refuse values they cannot parse instead of guessing, and a production setup
(DEBUG off) refuses to start without a real SECRET_KEY.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


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
            "SECRET_KEY must be set when DEBUG is off (`make run` sets DEBUG=true for local use)."
        )
    # A development key only ever exists with DEBUG on; it is never a production fallback.
    SECRET_KEY = "insecure-development-key-debug-only"
elif len(SECRET_KEY) < 32 and not DEBUG:
    raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long in production.")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])

INSTALLED_APPS = [
    # SimpleAdminConfig: django-leaflet's admin module imports GDAL (DESIGN.md decision 2), so
    # the admin is not autodiscovered; atlas/urls.py imports the admin modules we use.
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "leaflet",
    "reversion",
    "events",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] not in (
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
):
    raise ImproperlyConfigured("DATABASE_URL must name a SQLite or PostgreSQL database.")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The committed fixtures: places (built by build_gazetteer), actors, seed reports and events.
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

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

if not DEBUG:
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", True)

# The region Atlas covers: Syria and Iraq. Coordinates outside it are refused by the gazetteer
# and the admin (geopy's Point parser silently swaps malformed input, see NOTES.md).
ATLAS_REGION = {"south": 29.0, "west": 35.5, "north": 37.5, "east": 48.8}

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
LEAFLET_CONFIG = {
    "TILES": [("Tiles", ATLAS_TILES_URL, {"attribution": ATLAS_TILES_ATTRIBUTION})]
    if ATLAS_TILES_URL
    else [],
    "DEFAULT_CENTER": (34.9, 39.6),
    "DEFAULT_ZOOM": 7,
    "MIN_ZOOM": 5,
    "MAX_ZOOM": 16,
    "RESET_VIEW": False,
    "ATTRIBUTION_PREFIX": "Atlas · GeoNames (CC BY 4.0) · Natural Earth",
}
