"""The test suite. Honours DATABASE_URL / REDIS_URL so CI runs on real PostgreSQL and Redis."""

from .base import *  # noqa: F403
from .base import BASE_DIR, INSTALLED_APPS, PROJECT_APPS, env

# The benchmarks' commands are tested too.
PROJECT_APPS = (*PROJECT_APPS, "bench")
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The broker tests' worker writes each e-mail to a file in this folder, for the test to read.
if EMAIL_FILE_PATH := env("TEST_EMAIL_FILE_PATH", default=""):
    EMAIL_BACKEND = "tests.reminders.backends.FileBackend"
# ... or fails every e-mail as a mail server that has gone away would.
if env.bool("TEST_EMAIL_DOWN", default=False):
    EMAIL_BACKEND = "tests.reminders.backends.FailingBackend"
# Ordinary tests run tasks in process; the broker tests start a real worker explicitly
# (with CELERY_TASK_ALWAYS_EAGER=false in its environment).
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# Each broker test run has a queue of its own, for what the worker enqueues too (the sweep).
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# Tests sign in with force_login, which gives no second factor: the two-factor policy's
# own tests (tests/accounts/test_two_factor.py), the access matrix and the browser journey
# turn the requirement on. An account that enrolled is asked for its code either way.
PORTAL_TWO_FACTOR_REQUIRED = False
MEDIA_ROOT = BASE_DIR / "test-artifacts" / "media"
