"""The test suite. Honours DATABASE_URL / REDIS_URL so CI runs on real PostgreSQL and Redis."""

from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Ordinary tests run tasks in process; the broker tests start a real worker explicitly.
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = BASE_DIR / "test-artifacts" / "media"
