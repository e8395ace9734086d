"""Settings of the chamber portal, read from the environment (and an optional `.env` file).

Every variable is documented in `.env.example`. A setting that is wrong stops start-up with one
line naming the variable, rather than a traceback or, worse, a portal running insecurely.
"""

import base64
import hashlib
import warnings
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
import xstatic.pkg.leaflet
from celery.schedules import crontab
from csp import constants as csp_constants
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")


def _refuse(variable: str, problem: str):
    """Stop start-up with a one-line message naming the variable at fault."""
    raise SystemExit(f"Configuration error: {variable} {problem}")


def _int(variable: str, default: int) -> int:
    try:
        return env.int(variable, default=default)
    except ValueError:
        _refuse(variable, "must be a whole number.")


DEBUG = env.bool("DEBUG", default=False)

# --- secret key -------------------------------------------------------------------------------
_DEV_SECRET_KEY = "django-insecure-development-only-never-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default="")
if not DEBUG and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure")
):
    _refuse(
        "SECRET_KEY",
        "must be set to a random value of at least 50 characters when DEBUG is off "
        '(python -c "import secrets; print(secrets.token_urlsafe(50))"). To try the portal or '
        "run its tests, use `make run` or `make test` (README), which set DEBUG=true.",
    )
SECRET_KEY = SECRET_KEY or _DEV_SECRET_KEY

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    _refuse("ALLOWED_HOSTS", "must list the portal's host names when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])


# --- database ---------------------------------------------------------------------------------
def _database_from_env() -> dict:
    """SQLite file by default; any `sqlite:///path` or `postgres://user@host:port/name` URL."""
    url = env.str("DATABASE_URL", default="")
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # environ warns, then returns {}: we say it once
            config = environ.Env.db_url_config(url)
    except Exception:  # environ raises ValueError, KeyError... on a malformed URL
        config = {}
    engine = config.get("ENGINE", "")
    if engine == "django.db.backends.sqlite3" and config.get("NAME") not in (None, "", ":memory:"):
        # See DESIGN.md §6: IMMEDIATE turns concurrent writers into waits, not "database is locked".
        config["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
        return config
    if engine == "django.db.backends.postgresql" and config.get("NAME"):
        config["CONN_MAX_AGE"] = _int("CONN_MAX_AGE", 0)
        config["CONN_HEALTH_CHECKS"] = True
        return config
    _refuse(
        "DATABASE_URL",
        "is not a usable database URL: expected sqlite:///path/to/file.sqlite3 "
        "or postgres://user:password@host:5432/name.",
    )


DATABASES = {"default": _database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- applications -----------------------------------------------------------------------------
INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    # The site comes first among the apps that hold templates, so that its pages (error pages,
    # registration/) are found before Django's own of the same name.
    "portal",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "axes",
    "phonenumber_field",
    # Layers, bottom to top (DESIGN.md §4): chamber -> spaces -> cooperatives, programs ->
    # portal (listed above). Each app keeps its templates in its own templates/ folder.
    "chamber",
    "spaces",
    "cooperatives",
    "programs",
]

# The apps whose data chamber staff manage in the admin (DESIGN.md §2: "everything"): their
# permissions make the staff group (chamber.services.ensure_staff_group).
STAFF_APPS = ["chamber", "spaces", "cooperatives", "programs"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # A body too large is refused before anything reads it (portal/middleware.py); after the
    # two above, which read none, so that its answer carries their headers.
    "portal.middleware.RequestSizeLimit",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.NoNullBytesInHeaders",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.NoNullBytes",
    "portal.middleware.PrivatePagesNotStored",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
            ],
        },
    },
]

# --- users and sessions -----------------------------------------------------------------------
AUTH_USER_MODEL = "chamber.User"
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:account"
LOGOUT_REDIRECT_URL = "portal:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Counts failed logins and refuses more after AXES_FAILURE_LIMIT (DESIGN.md §6).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # A one-time code sent by SMS to a confirmed number (chamber.phone_codes), counted by axes.
    "chamber.backends.PhoneCodeBackend",
]
AXES_SENSITIVE_PARAMETERS = ["password", "code", "new_password1", "new_password2"]
AXES_FAILURE_LIMIT = _int("AXES_FAILURE_LIMIT", 5)
# A lock-out ends by itself: without a cool-off anyone could lock officials out for good.
AXES_COOLOFF_TIME = timedelta(minutes=_int("AXES_COOLOFF_MINUTES", 15))
# Lock a user name from one address, so that an attacker cannot lock a person out everywhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# And an address, across user names, after more failures (DESIGN.md §6; portal/guessing.py).
AXES_ADDRESS_FAILURE_LIMIT = _int("AXES_ADDRESS_FAILURE_LIMIT", 30)
AXES_HANDLER = "portal.guessing.GuessingHandler"
AXES_CLIENT_IP_CALLABLE = "portal.guessing.client_address"
# A try during a pause is refused without being counted: it does not make the pause longer.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
# Days that login records (successes and failures) are kept: `manage.py forget_expired`.
LOGIN_RECORDS_RETENTION_DAYS = _int("LOGIN_RECORDS_RETENTION_DAYS", 90)
AXES_LOCKOUT_CALLABLE = "portal.views.locked_out"
AXES_VERBOSE = False
# DESIGN.md §6: Django's defaults (two weeks, three days) are too long for a public body.
SESSION_COOKIE_AGE = _int("SESSION_COOKIE_AGE", 3 * 24 * 3600)
STAFF_SESSION_AGE = _int("STAFF_SESSION_AGE", 8 * 3600)
PASSWORD_RESET_TIMEOUT = _int("PASSWORD_RESET_TIMEOUT", 2 * 3600)

# --- security headers -------------------------------------------------------------------------
SECURE_COOKIES = env.bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Behind a reverse proxy (README): the scheme comes from X-Forwarded-Proto and the visitor's
# address from the right-most X-Forwarded-For entry, the one the proxy itself saw (the
# guessing limits count per address: without it every visitor would be the proxy).
BEHIND_PROXY = env.bool("BEHIND_HTTPS_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Off by default: the portal may run on an intranet over plain HTTP. Set both on the internet.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = _int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"

# Content-Security-Policy (django-csp) on every response: the portal's own scripts, styles and
# images only, no inline script, no frame; a tile server's images only when one is set.
_csp_images = [csp_constants.SELF, "data:"]
MAP_TILES_URL = env.str("MAP_TILES_URL", default="")
if MAP_TILES_URL:
    _tiles = urlsplit(MAP_TILES_URL.replace("{s}", "*"))
    _csp_images.append(f"{_tiles.scheme}://{_tiles.netloc}")


def _inline_style_hash(template: Path) -> str:
    """The 500 page carries its few styles inline (it must not depend on anything that may
    be what failed): the policy allows that one block by its hash, nothing else inline."""
    block = template.read_text(encoding="utf-8").split("<style>", 1)[1].split("</style>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
    return f"'sha256-{digest}'"


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp_constants.SELF],
        "script-src": [csp_constants.SELF],
        "style-src": [
            csp_constants.SELF,
            _inline_style_hash(BASE_DIR / "portal" / "templates" / "500.html"),
        ],
        "img-src": _csp_images,
        "connect-src": [csp_constants.SELF],
        "object-src": [csp_constants.NONE],
        "base-uri": [csp_constants.SELF],
        "form-action": [csp_constants.SELF],
        "frame-ancestors": [csp_constants.NONE],
    }
}

# --- languages --------------------------------------------------------------------------------
LANGUAGE_CODE = "ar"  # Arabic first, right to left
LANGUAGES = [("ar", _("Arabic")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["portal.formats"]
USE_I18N = True
TIME_ZONE = "Africa/Casablanca"
USE_TZ = True

# --- static files and uploads -----------------------------------------------------------------
# Every asset is served by the portal itself (whitenoise): no CDN, works on an intranet.
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static", ("leaflet", xstatic.pkg.leaflet.BASE_DIR)]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")


def _media_storage() -> dict:
    """Uploads (photos, documents) on this server's disk by default; in an S3-compatible
    bucket (MinIO, Scaleway, OVH, AWS…) through django-storages when MEDIA_BUCKET is set, so
    that any number of app servers share them (DESIGN.md §4). Either way the portal serves
    them itself, after checking who asks: the bucket stays private."""
    bucket = env.str("MEDIA_BUCKET", default="")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "bucket_name": bucket,
        "endpoint_url": env.str("MEDIA_ENDPOINT_URL", default="") or None,
        "region_name": env.str("MEDIA_REGION", default="") or None,
        "access_key": env.str("MEDIA_ACCESS_KEY", default="") or None,
        "secret_key": env.str("MEDIA_SECRET_KEY", default="") or None,
        "location": env.str("MEDIA_PREFIX", default=""),
        "default_acl": "private",
        "file_overwrite": False,
    }
    if bool(options["access_key"]) != bool(options["secret_key"]):
        _refuse("MEDIA_ACCESS_KEY", "and MEDIA_SECRET_KEY go together: set both, or neither.")
    # Without keys, boto3 finds its own (AWS_* variables, the machine's role).
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": _media_storage(),
    # Outside debug, file names carry a hash of their content, so whitenoise can let browsers
    # keep them for a year: a slow connection downloads the stylesheet once.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- map and uploads ---------------------------------------------------------------------------
# Tile server for map backgrounds, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png or an
# intranet server. Empty (the default): maps show their markers on a plain background and no
# page asks another host for anything.
# (MAP_TILES_URL is read above, with the Content-Security-Policy that allows its host.)
MAP_TILES_ATTRIBUTION = env.str("MAP_TILES_ATTRIBUTION", default="© OpenStreetMap contributors")
SPACE_PHOTO_MAX_BYTES = _int("SPACE_PHOTO_MAX_BYTES", 8 * 1024 * 1024)
SPACE_PHOTO_MAX_PIXELS = _int("SPACE_PHOTO_MAX_PIXELS", 40_000_000)
SPACE_DOCUMENT_MAX_BYTES = _int("SPACE_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
# A request body larger than the largest upload, plus room for the form's other fields, is
# refused before it is read (portal.middleware.RequestSizeLimit); imports take 5 MB at most.
REQUEST_MAX_BYTES = max(SPACE_PHOTO_MAX_BYTES, SPACE_DOCUMENT_MAX_BYTES, 5 * 1024 * 1024) + (
    1024 * 1024
)

# --- mail ------------------------------------------------------------------------------------
# Console by default in debug (messages are printed); SMTP with e.g.
# EMAIL_URL=smtp+tls://user:pw@host:587. Outside debug a notification holds personal data and
# must never be written into the server's log (law 09-08): a real mail server, or dummymail://
# (sends and writes nothing).
_email_url = env.str("EMAIL_URL", default="consolemail://" if DEBUG else "")
if not DEBUG and (not _email_url or _email_url.startswith("consolemail:")):
    _refuse(
        "EMAIL_URL",
        "must name a mail server when DEBUG is off (smtp+tls://user:password@host:587), or be "
        "dummymail:// to send nothing: the console would write people's e-mails into the log.",
    )
try:
    _email = environ.Env.email_url_config(_email_url)
except Exception:  # environ raises KeyError or ValueError on a URL it cannot read
    _refuse("EMAIL_URL", "is not a usable mail URL, e.g. smtp+tls://user:password@host:587.")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or ""
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10  # a slow mail server must not hold a request for long
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portail@chambre-artisanat.invalid")
# The portal's address as people reach it, for links in e-mails.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# --- phones and SMS ---------------------------------------------------------------------------
# Phone numbers are stored in E.164 (+212612345678) and shown as Moroccans write them
# (06 12 34 56 78); a number typed without its country code is Moroccan.
PHONENUMBER_DEFAULT_REGION = env.str("PHONE_REGION", default="MA")
PHONENUMBER_DB_FORMAT = "E164"
PHONENUMBER_DEFAULT_FORMAT = "NATIONAL"
# Which backend sends SMS (chamber.sms): the console (prints them, the default) or an HTTP
# gateway, whose address, credentials and parameter names are below (.env.example).
SMS_BACKEND = env.str(
    "SMS_BACKEND", default="chamber.sms.ConsoleBackend" if DEBUG else "chamber.sms.NoGateway"
)
if not DEBUG and SMS_BACKEND == "chamber.sms.ConsoleBackend":
    _refuse(
        "SMS_BACKEND",
        "must not be the console when DEBUG is off: it would write codes and people's messages "
        "into the log. Name the gateway (chamber.sms.HttpBackend), or leave it unset: no SMS.",
    )
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_METHOD = env.str("SMS_GATEWAY_METHOD", default="POST")
SMS_GATEWAY_USER = env.str("SMS_GATEWAY_USER", default="")
SMS_GATEWAY_PASSWORD = env.str("SMS_GATEWAY_PASSWORD", default="")
SMS_GATEWAY_TOKEN = env.str("SMS_GATEWAY_TOKEN", default="")
SMS_GATEWAY_SENDER = env.str("SMS_GATEWAY_SENDER", default="")
SMS_GATEWAY_TO_PARAM = env.str("SMS_GATEWAY_TO_PARAM", default="to")
SMS_GATEWAY_TEXT_PARAM = env.str("SMS_GATEWAY_TEXT_PARAM", default="text")
SMS_GATEWAY_SENDER_PARAM = env.str("SMS_GATEWAY_SENDER_PARAM", default="from")
SMS_GATEWAY_REFERENCE_PARAM = env.str("SMS_GATEWAY_REFERENCE_PARAM", default="reference")
SMS_GATEWAY_TIMEOUT = _int("SMS_GATEWAY_TIMEOUT", 10)
if SMS_BACKEND == "chamber.sms.HttpBackend" and not SMS_GATEWAY_URL.startswith("https://"):
    _refuse(
        "SMS_GATEWAY_URL", "must be the gateway's https:// address with SMS_BACKEND=…HttpBackend."
    )
# One-time codes sent by SMS: their life, and how many may be asked per number and per address.
PHONE_CODE_MINUTES = _int("PHONE_CODE_MINUTES", 10)
PHONE_CODE_TRIES = 5
PHONE_CODES_PER_NUMBER = _int("PHONE_CODES_PER_NUMBER", 3)  # per hour
PHONE_CODES_PER_ADDRESS = _int("PHONE_CODES_PER_ADDRESS", 10)  # per hour

# The cache (the counts of codes asked per number and per address): Redis when REDIS_URL is
# set, shared by every app server; each process's memory otherwise.
if env.str("REDIS_URL", default=""):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env.str("REDIS_URL"),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }

# --- tasks ----------------------------------------------------------------------------------
# Celery (portal/celery.py) with Redis as broker when CELERY_BROKER_URL or REDIS_URL is set:
# run a worker and beat beside the app servers (README). With neither, the `make run`
# default, tasks run in the web process once the decision is committed.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or env.str("REDIS_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True  # a task whose worker dies is given to another
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker that does not answer must not hold a decision's request: the outbox keeps the
# notification and the beat's sweep sends it once the broker is back.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "socket_timeout": 2,
    "socket_connect_timeout": 2,
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="celery")
CELERY_BEAT_SCHEDULE = {
    # the outbox: what a broker or a channel failed to send, tried again
    "send-due-notifications": {"task": "chamber.tasks.send_due", "schedule": 60.0},
    "forget-expired": {"task": "chamber.tasks.forget_expired", "schedule": crontab(minute=15)},
    "end-past-allocations": {
        "task": "spaces.tasks.end_past_allocations_task",
        "schedule": crontab(hour=1, minute=0),
    },
    "remind-missing-reports": {
        "task": "cooperatives.tasks.remind_missing_reports_task",
        "schedule": crontab(hour=9, minute=0),
    },
    "ask-apprentice-outcomes": {
        "task": "programs.tasks.ask_outcomes_task",
        "schedule": crontab(hour=10, minute=0),
    },
}
# Notifications: how many tries before a delivery is marked failed, and the first wait.
OUTBOX_MAX_ATTEMPTS = _int("OUTBOX_MAX_ATTEMPTS", 6)
OUTBOX_FIRST_RETRY_SECONDS = _int("OUTBOX_FIRST_RETRY_SECONDS", 60)
# How long a worker's claim on a delivery lasts: after it, a worker that died is replaced.
OUTBOX_LEASE_SECONDS = _int("OUTBOX_LEASE_SECONDS", 300)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request (403, 404, 400, 413) is one line in the log, not a traceback.
    "filters": {"one_line": {"()": "portal.log.RefusalsOnOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["one_line"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Lock-outs and repeated failures are warnings; every successful login is not news.
    "loggers": {
        "axes": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
        # a task that succeeded is not news either
        "celery.app.trace": {"level": "WARNING"},
    },
}
