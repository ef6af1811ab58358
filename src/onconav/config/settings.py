"""OncoNav settings: configured only from the environment.

Every setting has a development default so that ``make run`` works on a fresh machine. With
``DJANGO_ENV=production`` the secrets are required and the process refuses to start without them,
and the security settings are those that ``manage.py check --deploy`` expects.
See docs/operations.md for every variable.
"""

from __future__ import annotations

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/onconav
BASE_DIR = PACKAGE_DIR.parent.parent  # the repository

env = environ.Env()

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be development, test or production")
PRODUCTION = DJANGO_ENV == "production"
TESTING = DJANGO_ENV == "test"

_DEV_SECRET = "dev-only-not-secret-3e9c1f0a7b6d4c2e8f5a1b9d0c7e6f4a2b8d1c3e5f7a9b0d2c4e6f8a1b3c5d7e9f"
# A Fernet key (urlsafe base64 of 32 bytes) for development only.
_DEV_FERNET = "ZGV2LW9ubHktZmVybmV0LWtleS1ub3Qtc2VjcmV0ISE="


def _required(name: str, dev_default: str) -> str:
    value = env.str(name, default="")
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set when DJANGO_ENV=production")
    return dev_default


SECRET_KEY = _required("SECRET_KEY", _DEV_SECRET)
if PRODUCTION and (SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY must be a unique random value of at least 50 characters")

# Comma-separated Fernet keys; the first encrypts, all decrypt (key rotation).
FIELD_ENCRYPTION_KEYS = [
    k.strip() for k in _required("FIELD_ENCRYPTION_KEY", _DEV_FERNET).split(",") if k.strip()
]
if PRODUCTION and _DEV_FERNET in FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must not be the development key in production")

DEBUG = env.bool("DEBUG", default=not PRODUCTION and not TESTING)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DJANGO_ENV=production")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    "ninja",
    "onconav.foundation",
    "onconav.accounts",
    "onconav.audit",
    "onconav.pages",
    "onconav.kb",
    "onconav.options",
    "onconav.documents",
    "onconav.hospitals",
    "onconav.costs",
    "onconav.content",
    "onconav.intake",
    "onconav.cases",
    "onconav.privacy",
    "onconav.trials",
    "onconav.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "onconav.accounts.middleware.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "onconav.audit.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "onconav.config.urls"
WSGI_APPLICATION = "onconav.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "onconav.pages.context_processors.site",
            ],
        },
    }
]

# --- database -----------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'onconav.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache, sessions, background work -----------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL and TESTING and env.str("PYTEST_XDIST_WORKER", default=""):
    # Parallel test processes (gw0, gw1...) each get their own Redis database: a test's
    # cache.clear() (FLUSHDB) or rate-limit counters must not reach another process's test.
    from urllib.parse import urlsplit, urlunsplit

    _worker = int(env.str("PYTEST_XDIST_WORKER")[2:] or 0)
    _parts = urlsplit(REDIS_URL)
    _db = int(_parts.path.strip("/") or 0)
    REDIS_URL = urlunsplit(_parts._replace(path=f"/{(_db - 1 - _worker) % 16}"))
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "onconav"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
# Eager (in-process) unless a broker is configured and CELERY_EAGER is turned off.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_EAGER", default=not PRODUCTION or not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Clinical trials: registry JSON files dropped here are imported by the beat job (docs/trials.md).
TRIALS_IMPORT_DIR = Path(env.str("TRIALS_IMPORT_DIR", default=str(BASE_DIR / "var" / "trials-inbox")))
CELERY_BEAT_SCHEDULE = {
    "trials-import-inbox": {"task": "onconav.trials.tasks.import_trials_inbox", "schedule": 3600.0},
}

# --- authentication -----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "pages:landing"
LOGOUT_REDIRECT_URL = "pages:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Login throttling (django-axes): lock an account+IP pair after 5 failures for 30 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

OTP_TOTP_ISSUER = "OncoNav"

# --- internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- static files and uploads -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "var" / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Uploads are never served by the web server: they live outside the web root, encrypted, and
# are streamed only through permission-checked views.
PRIVATE_STORAGE_ROOT = Path(env.str("PRIVATE_STORAGE_ROOT", default=str(BASE_DIR / "var" / "private")))
STORAGES = {
    "default": {
        "BACKEND": env.str("DEFAULT_FILE_STORAGE", default="django.core.files.storage.FileSystemStorage"),
        "OPTIONS": {"location": str(PRIVATE_STORAGE_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- email --------------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.smtp.EmailBackend"
        if PRODUCTION
        else "django.core.mail.backends.locmem.EmailBackend"
        if TESTING
        else "django.core.mail.backends.console.EmailBackend"
    ),
)
# the folder of django.core.mail.backends.filebased.EmailBackend (used by the production-shape run)
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "mail"))
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="OncoNav <no-reply@onconav.local>")

# --- security -----------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
CSRF_COOKIE_HTTPONLY = False  # htmx reads it to send X-CSRFToken
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    LANGUAGE_COOKIE_HTTPONLY = True

# Content Security Policy (django-csp 4): no third-party origins at all.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'nonce'"],
        "style-src": ["'self'", "'nonce'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- logging: no PHI in logs ---------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# --- OncoNav ------------------------------------------------------------------------------
KNOWLEDGE_BASE_PATH = Path(env.str("KNOWLEDGE_BASE_PATH", default=str(BASE_DIR / "knowledge")))
# Build the options engine when Django starts (AppConfig.ready), not on the first request; with
# gunicorn --preload the compiled engine is shared by the workers. Off by default outside
# production so tests and management commands stay fast.
ENGINE_PRELOAD = env.bool("ENGINE_PRELOAD", default=PRODUCTION)
API_RATE_LIMIT_PER_MINUTE = env.int("API_RATE_LIMIT_PER_MINUTE", default=120)
DEMO_DATA = env.bool("DEMO_DATA", default=not PRODUCTION)

# --- the service as the public sees it (About, privacy notice, emails) -----------------------
# Every value is a fact about one deployment; pages show a value only when it is set, and say
# plainly when it is not. Lists use ";" between entries and "|" between the parts of an entry.
# The site's address for absolute links in emails; in production, https:// and the first allowed host
# unless set.
SITE_URL = env.str(
    "SITE_URL",
    default=f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION and ALLOWED_HOSTS else "http://127.0.0.1:8000",
).rstrip("/")
SERVICE_OPERATOR = env.str("SERVICE_OPERATOR", default="")  # who runs this installation
SERVICE_OPERATOR_ADDRESS = env.str("SERVICE_OPERATOR_ADDRESS", default="")
# "Name|Credentials; Name|Credentials": the clinicians who review cases.
SERVICE_REVIEWERS = [
    tuple(part.strip() for part in (entry.split("|", 1) + [""])[:2])
    for entry in env.str("SERVICE_REVIEWERS", default="").split(";")
    if entry.strip()
]
SERVICE_REVIEW_FEE = env.str("SERVICE_REVIEW_FEE", default="")  # e.g. "USD 300", or "free"
SERVICE_REVIEW_DAYS = env.int("SERVICE_REVIEW_DAYS", default=0)  # working days for a review; 0 = not set
CONTACT_PHONE = env.str("CONTACT_PHONE", default="")
CONTACT_EMAIL = env.str("CONTACT_EMAIL", default="")
CONTACT_WHATSAPP = env.str("CONTACT_WHATSAPP", default="")
CONTACT_WECHAT = env.str("CONTACT_WECHAT", default="")
DATA_CONTROLLER = env.str("DATA_CONTROLLER", default="")  # name of the legal entity
DATA_CONTROLLER_ADDRESS = env.str("DATA_CONTROLLER_ADDRESS", default="")
PRIVACY_EMAIL = env.str("PRIVACY_EMAIL", default="")  # where people send data-protection requests

# --- production shape: object storage, proxies, scheduler (issue 13; docs/operations.md) -------
# Behind a load balancer: TRUSTED_PROXY_COUNT (below) makes client addresses right.
# Documents in S3-compatible object storage (MinIO, AWS S3, ...) when a bucket is configured.
# The files are already encrypted by the application (Fernet, onconav.cases.documents) before
# they leave the process; server-side encryption can be asked for on top. Access keys come from
# the environment (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, read by boto3) and are never put in
# URLs: no pre-signed query-string URLs are made, files are streamed through permission-checked views.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    _s3_options: dict = {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        "location": env.str("AWS_LOCATION", default="private"),
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
        "default_acl": None,
        "querystring_auth": False,
        "file_overwrite": False,
        "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="path"),
    }
    _sse = env.str("AWS_S3_SERVER_SIDE_ENCRYPTION", default="")  # e.g. AES256 or aws:kms
    if _sse:
        _s3_options["object_parameters"] = {"ServerSideEncryption": _sse}
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3_options}
# The static files storage can be named (e.g. ManifestStaticFilesStorage without compression for
# a quick local production-shape run); the image builds with the default compressed one.
if env.str("STATICFILES_BACKEND", default=""):
    STORAGES["staticfiles"] = {"BACKEND": env.str("STATICFILES_BACKEND")}
# Celery beat: the daily purge of abandoned intake drafts (data minimisation).
CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,  # the trials inbox import, above
    "purge-abandoned-intake-drafts": {
        "task": "onconav.foundation.tasks.purge_abandoned_drafts",
        "schedule": env.float("PURGE_DRAFTS_EVERY_SECONDS", default=24 * 60 * 60),
    },
}
CELERY_TASK_ACKS_LATE = True  # a task whose worker dies mid-run is delivered again
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# --- data protection (docs/security.md) ----------------------------------------------------
# How many reverse proxies in front of the app append to X-Forwarded-For (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "onconav.foundation.ratelimit.axes_client_ip"
# django-axes records every failed sign-in but locks nobody out (a stranger could lock the real
# owner out); the progressive per-account delay and the per-address limit below slow guessing.
AXES_LOCK_OUT_AT_FAILURE = False
# Sign-in: per account (any address) a progressive delay after LOGIN_ACCOUNT_FREE_FAILURES
# failures, doubling up to LOGIN_ACCOUNT_MAX_DELAY seconds (a stranger can slow the owner, never
# lock them out); per address at most LOGIN_IP_FAILURES failures in LOGIN_WINDOW seconds.
LOGIN_ACCOUNT_FREE_FAILURES = env.int("LOGIN_ACCOUNT_FREE_FAILURES", default=5)
LOGIN_ACCOUNT_MAX_DELAY = env.int("LOGIN_ACCOUNT_MAX_DELAY", default=60)
LOGIN_IP_FAILURES = env.int("LOGIN_IP_FAILURES", default=30)
LOGIN_WINDOW = env.int("LOGIN_WINDOW", default=15 * 60)
# Password-reset emails: per address and per target email, per hour.
PASSWORD_RESET_PER_IP = env.int("PASSWORD_RESET_PER_IP", default=5)
PASSWORD_RESET_PER_EMAIL = env.int("PASSWORD_RESET_PER_EMAIL", default=3)
# API tokens expire after this many days.
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=90)
# Anonymous intake uploads: bytes per draft and per address per day, open drafts per address.
ANON_UPLOAD_BYTES_PER_DRAFT = env.int("ANON_UPLOAD_BYTES_PER_DRAFT", default=250 * 1024 * 1024)
ANON_UPLOAD_BYTES_PER_IP = env.int("ANON_UPLOAD_BYTES_PER_IP", default=500 * 1024 * 1024)
ANON_OPEN_DRAFTS_PER_IP = env.int("ANON_OPEN_DRAFTS_PER_IP", default=5)
# Email links (sign-up confirmation, address verification) expire after this many seconds.
EMAIL_LINK_MAX_AGE = env.int("EMAIL_LINK_MAX_AGE", default=3 * 24 * 3600)
# Sign-up emails per address asked for, per hour (past it the page looks the same, no email goes).
SIGNUP_EMAILS_PER_EMAIL = env.int("SIGNUP_EMAILS_PER_EMAIL", default=3)
# Accounts whose email address is not confirmed: uploads are held to the anonymous per-draft quota
# (ANON_UPLOAD_BYTES_PER_DRAFT, per draft and per case), and an intake is sent only with at most
# this many files and bytes.
UNVERIFIED_SUBMIT_FILES = env.int("UNVERIFIED_SUBMIT_FILES", default=3)
UNVERIFIED_SUBMIT_BYTES = env.int("UNVERIFIED_SUBMIT_BYTES", default=20 * 1024 * 1024)
# Images: at most this many pixels (decompression bombs).
MAX_IMAGE_PIXELS = env.int("MAX_IMAGE_PIXELS", default=50_000_000)
