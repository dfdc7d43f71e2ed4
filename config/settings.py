"""SilverShield settings: one env-driven module.

SILVERSHIELD_ENV selects the profile:
- ``embedded`` (default): SQLite under ``var/``, keys in a key file under ``var/keys``, a
  filesystem Celery broker that the demo command's own worker consumes.
- ``production``: PostgreSQL from DATABASE_URL, Redis from REDIS_URL, keys from the environment,
  secure cookies; refuses to start while demo accounts exist (see silvershield.core.startup).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF

from config.envtools import env_bool, env_int, env_list, env_str, load_or_create_secret

BASE_DIR = Path(__file__).resolve().parent.parent
SILVERSHIELD_ENV = env_str("SILVERSHIELD_ENV", "embedded")
if SILVERSHIELD_ENV not in {"embedded", "production", "test"}:
    raise RuntimeError(
        f"SILVERSHIELD_ENV must be embedded, production or test, not {SILVERSHIELD_ENV!r}"
    )
PRODUCTION = SILVERSHIELD_ENV == "production"
VAR_DIR = Path(env_str("SILVERSHIELD_VAR_DIR", str(BASE_DIR / "var")))

if PRODUCTION:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY")
else:
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or load_or_create_secret(
        VAR_DIR / "secret_key"
    )
DEBUG = env_bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.postgres",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "ninja",
    "silvershield.core",
    "silvershield.geo",
    "silvershield.orgs",
    "silvershield.campaigns",
    "silvershield.intake",
    "silvershield.workflow",
    "silvershield.enforcement",
    "silvershield.rectification",
    "silvershield.stats",
    "silvershield.documents",
    "silvershield.portal",
    "silvershield.api",
    "silvershield.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "silvershield.core.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "orgs:login"
LOGIN_REDIRECT_URL = "core:workbench"

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
                "silvershield.core.context_processors.shell",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# Celery: Redis where configured; otherwise a filesystem broker under var/ that the embedded
# demo command's own worker consumes (DESIGN.md "Background work").
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {}
    if REDIS_URL
    else {
        "data_folder_in": str(VAR_DIR / "celery" / "queue"),
        "data_folder_out": str(VAR_DIR / "celery" / "queue"),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
)
if not REDIS_URL and SILVERSHIELD_ENV == "embedded":
    for _folder in ("queue", "processed", "control"):
        (VAR_DIR / "celery" / _folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE = {
    "audit-verify-nightly": {"task": "core.audit_verify", "schedule": crontab(hour=2, minute=30)},
    "deadlines": {"task": "workflow.deadlines_run", "schedule": crontab(minute="*/30")},
    "rectification-deadlines": {
        "task": "rectification.deadlines_run",
        "schedule": crontab(minute="*/30"),
    },
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = VAR_DIR / "media"

# Sessions and login protection (等保 level 3: login-failure handling, idle timeout).
SESSION_COOKIE_AGE = env_int("SILVERSHIELD_SESSION_HOURS", 10) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SILVERSHIELD_IDLE_TIMEOUT = timedelta(minutes=env_int("SILVERSHIELD_IDLE_MINUTES", 30))
AXES_FAILURE_LIMIT = env_int("SILVERSHIELD_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SILVERSHIELD_LOCKOUT_MINUTES", 30))
# Lock per account: staff on an intranet share NAT addresses, so an IP lock would shut out a
# whole office at once.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "silvershield.orgs.views.lockout_response"
AXES_VERBOSE = False
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "silvershield.orgs.passwords.ChineseMinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
OTP_TOTP_ISSUER = "SilverShield 银盾"

# Keys for reporter-identity encryption and the blind index live outside the database.
# Production: SILVERSHIELD_FIELD_KEYS (comma-separated Fernet keys, newest first) and
# SILVERSHIELD_BLIND_INDEX_KEY. Elsewhere a key file is generated on first use.
SILVERSHIELD_FIELD_KEYS = env_list("SILVERSHIELD_FIELD_KEYS", [])
SILVERSHIELD_BLIND_INDEX_KEY = env_str("SILVERSHIELD_BLIND_INDEX_KEY", "")
SILVERSHIELD_KEY_FILE = Path(
    env_str("SILVERSHIELD_KEY_FILE", str(VAR_DIR / "keys" / "silvershield.keys"))
)
SILVERSHIELD_AUDIT_KEY = env_str("SILVERSHIELD_AUDIT_KEY", "")
if PRODUCTION and not (
    SILVERSHIELD_FIELD_KEYS and SILVERSHIELD_BLIND_INDEX_KEY and SILVERSHIELD_AUDIT_KEY
):
    raise RuntimeError(
        "production needs SILVERSHIELD_FIELD_KEYS, SILVERSHIELD_BLIND_INDEX_KEY and SILVERSHIELD_AUDIT_KEY"
    )

# Content Security Policy: no inline script, no third party.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SILVERSHIELD_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("SILVERSHIELD_LOG_LEVEL", "INFO")},
    "loggers": {
        # Request lines carry paths only; reporters' addresses are never logged (no access log).
        "django.server": {"handlers": [], "propagate": False},
        "axes": {"level": "WARNING"},
    },
}
