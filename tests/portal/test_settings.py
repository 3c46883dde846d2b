"""Settings are read from the environment; each case runs in a fresh interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"], "name": str(db["NAME"]),
    "eager": settings.CELERY_TASK_ALWAYS_EAGER, "broker": settings.CELERY_BROKER_URL,
    "cache": settings.CACHES["default"]["BACKEND"], "email": settings.EMAIL_BACKEND,
    "city": settings.PORTAL_CITY_NAME, "language": settings.LANGUAGE_CODE,
    "tz": settings.TIME_ZONE, "use_tz": settings.USE_TZ, "hosts": settings.ALLOWED_HOSTS,
    "debug": settings.DEBUG, "hsts": getattr(settings, "SECURE_HSTS_SECONDS", 0),
}))
"""

PORTAL_VARIABLES = (
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "PORTAL_CITY_NAME",
    "DEBUG",
)


def load_settings(module: str, **environment: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in PORTAL_VARIABLES}
    env.update(environment, DJANGO_SETTINGS_MODULE=module)
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_embedded_defaults_need_no_services():
    loaded = load_settings("consult_portal.settings.local")
    assert loaded["engine"] == "django.db.backends.sqlite3"
    assert loaded["name"].endswith("db.sqlite3")
    assert loaded["eager"] is True
    assert loaded["broker"] == "memory://"
    assert loaded["cache"].endswith("LocMemCache")
    assert loaded["email"] == "django.core.mail.backends.console.EmailBackend"
    assert loaded["city"] == "青岛市"
    assert loaded["language"] == "zh-hans"
    assert loaded["tz"] == "Asia/Shanghai" and loaded["use_tz"] is True
    # `make run` shows the portal as users see it; `make dev` sets DEBUG=true.
    assert loaded["debug"] is False
    assert load_settings("consult_portal.settings.local", DEBUG="true")["debug"] is True


def test_environment_switches_to_postgresql_redis_and_smtp():
    loaded = load_settings(
        "consult_portal.settings.local",
        DATABASE_URL="postgres://portal@db.example:5432/portal",
        REDIS_URL="redis://cache.example:6379/1",
        EMAIL_URL="smtp://mail.example:25",
        PORTAL_CITY_NAME="烟台市",
        ALLOWED_HOSTS="xieshang.example.gov.cn,www.example.gov.cn",
    )
    assert loaded["engine"] == "django.db.backends.postgresql"
    assert loaded["name"] == "portal"
    assert loaded["eager"] is False
    assert loaded["broker"] == "redis://cache.example:6379/1"
    assert loaded["cache"].endswith("RedisCache")
    assert loaded["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert loaded["city"] == "烟台市"
    assert loaded["hosts"] == ["xieshang.example.gov.cn", "www.example.gov.cn"]


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in PORTAL_VARIABLES}
    env["DJANGO_SETTINGS_MODULE"] = "consult_portal.settings.production"
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_is_hardened():
    loaded = load_settings("consult_portal.settings.production", SECRET_KEY="x" * 60)
    assert loaded["debug"] is False
    assert loaded["hsts"] >= 31536000


@pytest.mark.redis
def test_cache_and_broker_reach_the_real_redis():
    from django.core.cache import cache

    from consult_portal.celery import app

    cache.set("ci-probe", "活着", 30)
    assert cache.get("ci-probe") == "活着"
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1)
        assert connection.connected
