"""Test override: the env-driven settings plus fixed, throwaway test keys."""

import os

os.environ.setdefault("SILVERSHIELD_ENV", "test")

from cryptography.fernet import Fernet

from config.settings import *  # noqa: F403

SILVERSHIELD_FIELD_KEYS = [Fernet.generate_key().decode()]
SILVERSHIELD_BLIND_INDEX_KEY = "test-blind-index-key-" + Fernet.generate_key().decode()
SILVERSHIELD_AUDIT_KEY = "test-audit-key-" + Fernet.generate_key().decode()
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = True
WHITENOISE_AUTOREFRESH = True
