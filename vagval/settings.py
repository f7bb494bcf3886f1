"""One env-driven settings file. Bad values fail loudly; secrets may come from *_FILE."""

from __future__ import annotations

import ipaddress
import os
import shutil
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from vagval.common.storage import StorageSettingsError, storages_from_env

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env(name: str, default: str | None = None) -> str | None:
    """Read NAME, or the contents of the file named by NAME_FILE."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = env(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


# "demo" (the default: embedded SQLite, demo data allowed) or "production".
VAGVAL_MODE = env("VAGVAL_MODE", "demo")
if VAGVAL_MODE not in {"demo", "production"}:
    raise ImproperlyConfigured(f"VAGVAL_MODE must be 'demo' or 'production', got {VAGVAL_MODE!r}")
PRODUCTION = VAGVAL_MODE == "production"

DEBUG = env_bool("DEBUG", default=False)
if PRODUCTION and DEBUG:
    # DEBUG shows settings, SQL and local variables (person data) on every error page.
    raise ImproperlyConfigured(
        "DEBUG must be off in production (VAGVAL_MODE=production): unset DEBUG or set DEBUG=false. "
        "Error pages in debug mode show settings, SQL and person data."
    )
# Person-level models refuse queries outside a scope that names the actor (common/scoping.py):
# on in development and tests, where a forgotten actor should fail loudly; off in production.
VAGVAL_ENFORCE_SCOPE = env_bool("VAGVAL_ENFORCE_SCOPE", default=DEBUG)
SECRET_KEY = env("SECRET_KEY") or ""
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set in production")
    SECRET_KEY = "demo-only-secret-key-never-used-in-production"  # noqa: S105

ALLOWED_HOSTS = [h.strip() for h in (env("ALLOWED_HOSTS", "127.0.0.1,localhost") or "").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in (env("CSRF_TRUSTED_ORIGINS", "") or "").split(",") if o.strip()]


def env_networks(name: str) -> list[str]:
    """A comma-separated list of IP addresses and CIDR networks, each checked."""
    values = [v.strip() for v in (env(name, "") or "").split(",") if v.strip()]
    for value in values:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name}: {value!r} is not an IP address or CIDR network") from exc
    return values


# The reverse proxies whose X-Forwarded-For is believed (vagval.common.request.client_address):
# only a request whose socket address is one of these has its client address taken from the
# header. Empty (the default): the socket address, whatever the header says.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "vagval.common",
    "vagval.organisations",
    "vagval.accounts",
    "vagval.people",
    "vagval.audit",
    "vagval.consent",
    "vagval.plans",
    "vagval.referrals",
    "vagval.journal",
    "vagval.assessments",
    "vagval.registers",
    "vagval.targetgroup",
    "vagval.kaa",
    "vagval.outreach",
    "vagval.catalogue",
    "vagval.matching",
    "vagval.followup",
    "vagval.worklist",
    "vagval.reporting",
    "vagval.esf",
    "vagval.evaluation",
    "vagval.targets",
    "vagval.budget",
    "vagval.dataprotection",
    "vagval.access",
    "vagval.api",
    "vagval.pages",
    "vagval.health",
    "vagval.sso",
]

MIDDLEWARE = [
    "vagval.common.middleware.DropUntrustedProxyHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "vagval.common.scoping.ScopeMiddleware",
    "vagval.common.middleware.NeverCacheSignedInMiddleware",
    "vagval.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vagval.urls"
WSGI_APPLICATION = "vagval.wsgi.application"

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
                "csp.context_processors.nonce",
            ],
        },
    }
]

DEFAULT_SQLITE = PROJECT_DIR / "var" / "vagval.sqlite3"
DATABASE_URL = env("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}"
if PRODUCTION and DATABASE_URL.startswith("sqlite"):
    # SQLite is for demo and development; production runs on PostgreSQL.
    raise ImproperlyConfigured("Production requires DATABASE_URL pointing at PostgreSQL")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
# Each SQLite connection's settings. WAL lets pages read while a job writes. The rest are for the
# reports, which read a project's hundreds of thousands of enrolments several times: a 64 MiB page
# cache per connection (the default is 2 MiB, so every pass read the file again) and sorting and
# grouping in memory rather than temporary files (docs/ARCHITECTURE.md, "Databases");
# common/tests/test_sqlite_settings.py checks each is in force. No memory map for the pages: under
# load its page faults cost more than the copies it saves; a report maps the file while it reads
# (SQLITE_REPORT_MMAP_SIZE, common.db_routing.reporting_reads).
SQLITE_PRAGMAS: dict[str, int | str] = {
    "journal_mode": "WAL",
    "synchronous": "NORMAL",
    "cache_size": -64 * 1024,  # KiB when negative
    "mmap_size": 0,
    "temp_store": "MEMORY",
}
SQLITE_REPORT_MMAP_SIZE = 1024**3
# SQLite's connections are kept for DB_CONN_MAX_AGE too: opening one per request (its pragmas,
# the schema read, every statement prepared again) cost the 50-user load at the national size
# about a tenth of its median and took its p95 over 200 ms in two runs of three
# (docs/ARCHITECTURE.md, "The database connection").
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": " ".join(f"PRAGMA {name}={value};" for name, value in SQLITE_PRAGMAS.items()),
    }
# Behind PgBouncer in transaction mode a connection serves one transaction at a time and may be a
# different server connection for the next: no server-side prepared statements (psycopg prepares
# a query the fifth time it runs it) and no server-side cursors (they live past a transaction).
DB_PGBOUNCER = env_bool("DB_PGBOUNCER", False)
if DB_PGBOUNCER and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
# A read replica for reports and exports (common/db_routing.py); without it, all on the primary.
REPLICA_DATABASE_URL = env("REPLICA_DATABASE_URL")
if REPLICA_DATABASE_URL:
    DATABASES["replica"] = dj_database_url.parse(REPLICA_DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
# PostgreSQL's JIT compiles a query whose estimated cost is high before running it: 50 ms to
# seconds of CPU on every request that reads a large unit's list (benchmarks/bench_load.py),
# more than it saves on queries that answer in milliseconds. Off for the app's own
# connections unless DB_JIT=true; behind PgBouncer (which refuses startup options) set it on
# the database role instead: ALTER ROLE vagval SET jit = off.
DB_JIT = env_bool("DB_JIT", False)
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql" and not DB_JIT and not DB_PGBOUNCER:
        _database.setdefault("OPTIONS", {})["options"] = "-c jit=off"
REPLICA_READS = bool(REPLICA_DATABASE_URL)
DATABASE_ROUTERS = ["vagval.common.db_routing.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "vagval.accounts.backends.UserWithUnitBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "people:caseload"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes: lock an account (per user name and client address) after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The same client address as the access log: behind a trusted proxy, the address it forwards.
AXES_CLIENT_IP_CALLABLE = "vagval.common.request.client_address"

OTP_TOTP_ISSUER = "Vägval"

SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT") or PROJECT_DIR / "var" / "static")
MEDIA_ROOT = Path(env("MEDIA_ROOT") or PROJECT_DIR / "var" / "media")
# Uploaded and generated files: a folder (MEDIA_ROOT) or an S3-compatible store (common/storage.py).
try:
    STORAGES = storages_from_env(env, media_root=MEDIA_ROOT)
except StorageSettingsError as exc:
    raise ImproperlyConfigured(str(exc)) from exc

TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# The access log's retention (vagval.audit.retention_services): months kept before the current
# one; older months are removed each night (whole partitions on PostgreSQL), with a record of
# what went. 0 keeps everything: removing entries needs the organisation's gallringsbeslut.
ACCESS_LOG_RETENTION_MONTHS = env_int("ACCESS_LOG_RETENTION_MONTHS", 0)
if ACCESS_LOG_RETENTION_MONTHS < 0:
    raise ImproperlyConfigured(f"ACCESS_LOG_RETENTION_MONTHS must be 0 or more, got {ACCESS_LOG_RETENTION_MONTHS}")

# The to-do list's daily e-mail (vagval.worklist): the address it links to and its sender.
SITE_URL = (env("SITE_URL", "http://127.0.0.1:8000") or "").rstrip("/")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "vagval@localhost")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
# Sign-in through the organisations' own identity providers (vagval.sso; README "Inloggning via
# organisationens identitetsleverantör"). The providers themselves are data an administrator keeps.
# SAML: this installation's entity id (default: the provider's metadata address under SITE_URL's
# host), and an optional key pair for signing requests and decrypting assertions.
SSO_SAML_ENTITY_ID = env("SSO_SAML_ENTITY_ID", "") or ""
SSO_SAML_KEY_FILE = env("SSO_SAML_KEY_FILE", "") or ""
SSO_SAML_CERT_FILE = env("SSO_SAML_CERT_FILE", "") or ""
if bool(SSO_SAML_KEY_FILE) != bool(SSO_SAML_CERT_FILE):
    raise ImproperlyConfigured("SSO_SAML_KEY_FILE and SSO_SAML_CERT_FILE must be set together")
for _name in ("SSO_SAML_KEY_FILE", "SSO_SAML_CERT_FILE"):
    if globals()[_name] and not Path(globals()[_name]).is_file():
        raise ImproperlyConfigured(f"{_name}: no file at {globals()[_name]}")
# pysaml2 checks XML signatures with the xmlsec1 program (Debian package xmlsec1).
SSO_XMLSEC_BINARY = env("SSO_XMLSEC_BINARY", "") or shutil.which("xmlsec1") or "/usr/bin/xmlsec1"
# Clocks may differ this much between Vägval and a provider (assertion and token validity).
SSO_CLOCK_SKEW_SECONDS = env_int("SSO_CLOCK_SKEW_SECONDS", 60)
if not 0 <= SSO_CLOCK_SKEW_SECONDS <= 600:
    raise ImproperlyConfigured(f"SSO_CLOCK_SKEW_SECONDS must be between 0 and 600, got {SSO_CLOCK_SKEW_SECONDS}")
# Calls from Vägval to an OpenID Connect provider (discovery, keys, token) give up after this.
SSO_HTTP_TIMEOUT_SECONDS = env_int("SSO_HTTP_TIMEOUT_SECONDS", 10)
if SSO_HTTP_TIMEOUT_SECONDS < 1:
    raise ImproperlyConfigured(f"SSO_HTTP_TIMEOUT_SECONDS must be at least 1, got {SSO_HTTP_TIMEOUT_SECONDS}")

# Items due within this many days are on the to-do list (overdue ones always).
WORKLIST_HORIZON_DAYS = env_int("WORKLIST_HORIZON_DAYS", 14)

# Register imports (vagval.registers): a file with more data rows than this fails early, before
# anything is written; an import that would take more than this share (percent) of the persons
# now in the register out of it waits for a KAA-ansvarig's confirmation (so does a file with
# fewer than half the rows of the previous snapshot).
REGISTER_IMPORT_MAX_ROWS = env_int("REGISTER_IMPORT_MAX_ROWS", 200_000)
if REGISTER_IMPORT_MAX_ROWS < 1:
    raise ImproperlyConfigured(f"REGISTER_IMPORT_MAX_ROWS must be at least 1, got {REGISTER_IMPORT_MAX_ROWS}")
REGISTER_IMPORT_CONFIRM_LEAVING_PERCENT = env_int("REGISTER_IMPORT_CONFIRM_LEAVING_PERCENT", 10)
if not 0 <= REGISTER_IMPORT_CONFIRM_LEAVING_PERCENT <= 100:
    raise ImproperlyConfigured(
        "REGISTER_IMPORT_CONFIRM_LEAVING_PERCENT must be between 0 and 100, "
        f"got {REGISTER_IMPORT_CONFIRM_LEAVING_PERCENT}"
    )

# Where reference data (municipalities, SNI, SSYK, ISCED) is read from.
REFERENCE_DIR = Path(env("VAGVAL_REFERENCE_DIR") or BASE_DIR / "reference")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_identity_numbers": {"()": "vagval.common.logging.RedactIdentityNumbers"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_identity_numbers"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # The request logger repeats URLs and bodies; the filter scrubs identity numbers from it.
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # WeasyPrint reports layout progress at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # pysaml2 logs every response's NameID and attributes at INFO: people's identities.
        "saml2": {"level": "WARNING"},
        "xmlschema": {"level": "WARNING"},
    },
}

API_PAGE_LIMIT_MAX = 200

# How many days a new API token works before it expires (it can be revoked sooner).
# Requests per minute one API token may make; more answer 429 with Retry-After.
API_RATE_LIMIT_PER_MINUTE = env_int("API_RATE_LIMIT_PER_MINUTE", 120)
if API_RATE_LIMIT_PER_MINUTE < 1:
    raise ImproperlyConfigured(f"API_RATE_LIMIT_PER_MINUTE must be at least 1, got {API_RATE_LIMIT_PER_MINUTE}")
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90)
if not 1 <= API_TOKEN_DAYS <= 3650:
    raise ImproperlyConfigured(f"API_TOKEN_DAYS must be between 1 and 3650, got {API_TOKEN_DAYS}")

# The server (`vagval serve`, gunicorn with threads). 0 workers means 2 x cores + 1.
SERVE_WORKERS = env_int("SERVE_WORKERS", 0)
SERVE_THREADS = env_int("SERVE_THREADS", 4)
SERVE_TIMEOUT = env_int("SERVE_TIMEOUT", 30)
SERVE_GRACEFUL_TIMEOUT = env_int("SERVE_GRACEFUL_TIMEOUT", 30)
SERVE_KEEP_ALIVE = env_int("SERVE_KEEP_ALIVE", 5)
for _name, _low in (
    ("SERVE_WORKERS", 0),
    ("SERVE_THREADS", 1),
    ("SERVE_TIMEOUT", 1),
    ("SERVE_GRACEFUL_TIMEOUT", 1),
    ("SERVE_KEEP_ALIVE", 1),
):
    if globals()[_name] < _low:
        raise ImproperlyConfigured(f"{_name} must be at least {_low}, got {globals()[_name]}")
# /halsa/redo: a worker must have left a heartbeat within this many seconds.
HEALTH_WORKER_MAX_AGE_SECONDS = env_int("HEALTH_WORKER_MAX_AGE_SECONDS", 300)
if HEALTH_WORKER_MAX_AGE_SECONDS < 1:
    raise ImproperlyConfigured("HEALTH_WORKER_MAX_AGE_SECONDS must be at least 1")

# Matching (issue 11): an offer is suggested to at most this many × its free places among open
# suggestions; a suggestion stays open this many days unless handled (docs/ARCHITECTURE.md).
MATCHING_CROWDING_FACTOR = env_int("MATCHING_CROWDING_FACTOR", 3)
MATCHING_SUGGESTION_DAYS = env_int("MATCHING_SUGGESTION_DAYS", 30)
