"""Tests that need a real service say so with a marker (registered in pyproject.toml):

- ``postgres``: PostgreSQL itself (row locks, triggers, bigram search) or a second process
  sharing the test database, which an SQLite test database cannot be;
- ``redis``: the Redis that REDIS_URL names;
- ``worker``: a real Celery worker, which takes its tasks from Redis (``worker`` implies
  ``redis`` here) and shares the test database (such tests are marked ``postgres`` too).

Where a service is not there, its tests are deselected, not skipped one by one, and the
terminal summary says how many and how to run them. On CI (``CI=true``) nothing may be
left out: a missing service stops the run before any test runs, as a usage error.
A Redis that REDIS_URL names but that does not answer stops any run that needs it: the
cache points at it too, so the rest of the suite would not be testing what it should.
"""

import os
from urllib.parse import urlsplit

import pytest

REPORT = pytest.StashKey[list[str]]()


def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def database() -> str:
    """The test database's engine as Django names it: "PostgreSQL", "SQLite", ..."""
    from django.db import connection

    return connection.display_name


def redis_url() -> str:
    from django.conf import settings

    return settings.REDIS_URL


def redis_answers(url: str) -> bool:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        return bool(client.ping())
    except redis.RedisError:
        return False


def _without_password(url: str) -> str:
    password = urlsplit(url).password
    return url.replace(f":{password}@", ":***@", 1) if password else url


def postgres_missing() -> str | None:
    """Why the ``postgres`` tests cannot run, or None when they can."""
    name = database()
    if name == "PostgreSQL":
        return None
    return f"the database is {name} (set DATABASE_URL=postgres://... to run them)"


def redis_missing() -> str | None:
    """Why the ``redis`` and ``worker`` tests cannot run, or None when they can."""
    url = redis_url()
    if not url:
        return "REDIS_URL is not set (set REDIS_URL=redis://127.0.0.1:6379/0 to run them)"
    if not redis_answers(url):
        raise pytest.UsageError(
            f"REDIS_URL names {_without_password(url)} but no Redis answers there: "
            "start Redis, or unset REDIS_URL to leave out the tests that need it"
        )
    return None


# Each service: the markers of the tests that need it, and why it is missing (None: it is there).
SERVICES = [
    (("postgres",), postgres_missing),
    (("redis", "worker"), redis_missing),
]


@pytest.hookimpl(trylast=True)  # after `-m`/`-k`: count only what would otherwise run
def pytest_collection_modifyitems(config, items):
    kept, deselected, lines = [], [], []
    needing = {
        markers: [item for item in items if any(item.get_closest_marker(m) for m in markers)]
        for markers, _missing in SERVICES
    }
    left_out = set()
    for markers, missing in SERVICES:
        if not needing[markers]:
            continue  # not asked about: no Redis probe for a run that does not need it
        reason = missing()
        if reason is None:
            continue
        count = len(needing[markers])
        lines.append(
            f"deselected {count} test{'s' if count != 1 else ''} marked "
            f"{' or '.join(markers)}: {reason}"
        )
        left_out.update(id(item) for item in needing[markers])
    if not left_out:
        return
    if on_ci():
        raise pytest.UsageError(
            "CI runs every test on real services, but some are missing:\n  "
            + "\n  ".join(line.replace("deselected", "would deselect", 1) for line in lines)
        )
    for item in items:
        (deselected if id(item) in left_out else kept).append(item)
    items[:] = kept
    config.hook.pytest_deselected(items=deselected)
    config.stash[REPORT] = lines


def pytest_terminal_summary(terminalreporter, config):
    for line in config.stash.get(REPORT, []):
        terminalreporter.write_line(line, yellow=True)
