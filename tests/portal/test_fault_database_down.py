"""With the database unreachable a visitor gets a clear 503 page, and the portal recovers
by itself when the database is back: no restart.

The portal runs as a real server in a subprocess and reaches PostgreSQL through a small TCP
proxy in this process; stopping the proxy is the database going away (refused new
connections, existing ones cut), starting it again on the same port is it coming back.
"""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import DatabaseError, OperationalError, connection, transaction
from django.test import RequestFactory

from core.resilience import DatabaseUnavailableMiddleware, database_unreachable
from matters.services import matter_publish
from tests.factories import make_matter
from tests.portal.fault_support import TcpProxy

# The portal runs as a separate server process that must share the test database, which
# an SQLite test database cannot.
needs_postgresql = pytest.mark.postgres

WAIT = 30  # seconds, the most any one wait may take
TITLE = "关于完善城市更新政策的协商事项"
UNAVAILABLE = "服务暂时不可用，请稍后再试。"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url_through(port: int) -> str:
    db = settings.DATABASES["default"]
    auth = quote(db.get("USER") or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@127.0.0.1:{port}/{quote(db['NAME'], safe='')}"


def fetch(url: str, *, headers=None) -> tuple[int, dict, str]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (http only)
    try:
        with urllib.request.urlopen(request, timeout=WAIT) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.fixture
def proxy():
    db = settings.DATABASES["default"]
    proxy = TcpProxy((db.get("HOST") or "127.0.0.1", int(db.get("PORT") or 5432)))
    proxy.start()
    yield proxy
    with contextlib.suppress(OSError):
        proxy.stop()


@pytest.fixture
def portal(proxy, transactional_db, tmp_path):
    """The portal served by ``runserver`` (one thread, so one persistent connection, as a
    gunicorn sync worker has), on the test database through the proxy."""
    port = free_port()
    log_path = tmp_path / "server.log"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "consult_portal.settings.test",
        "DATABASE_URL": database_url_through(proxy.port),
        "CONN_MAX_AGE": "600",
        # The page and fragment caches would answer for the database: keep them out.
        "REDIS_URL": "",
        "PORTAL_PAGE_CACHE": "false",
        "PORTAL_FRAGMENT_CACHE": "false",
    }
    command = [
        sys.executable, "manage.py", "runserver", "--noreload", "--nothreading",
        "--skip-checks", f"127.0.0.1:{port}",
    ]  # fmt: skip
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=environment, stdout=log, stderr=log
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + WAIT
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"the server did not start:\n{log_path.read_text()}")
            time.sleep(0.2)
    process.base = base
    process.log = lambda: log_path.read_text(errors="replace")
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@needs_postgresql
def test_database_down_is_a_503_page_and_the_portal_recovers_without_a_restart(proxy, portal):
    matter = make_matter()
    matter_publish(matter=matter, by=matter.created_by)
    pid = portal.pid

    status, _headers, body = fetch(f"{portal.base}/matters/")
    assert status == 200, portal.log()[-3000:]
    assert TITLE in body

    proxy.stop()  # the database goes away, with the server's open connection

    status, headers, body = fetch(f"{portal.base}/matters/")
    assert status == 503, portal.log()[-3000:]
    assert "服务暂时不可用" in body and UNAVAILABLE in body
    assert 'lang="zh-hans"' in body
    assert int(headers["Retry-After"]) > 0
    assert "no-store" in headers["Cache-Control"]
    # Another page, asked in English: the same answer in the visitor's language.
    status, headers, body = fetch(
        f"{portal.base}/activities/", headers={"Cookie": "django_language=en"}
    )
    assert status == 503 and 'lang="en"' in body and "Retry-After" in headers
    # The API answers in its own JSON error shape.
    status, headers, body = fetch(f"{portal.base}/api/v1/matters/")
    assert status == 503 and '"code":"service_unavailable"' in body.replace(" ", "")
    assert "Retry-After" in headers
    # The health check still fails, for the load balancer to take the node out.
    status, _headers, _body = fetch(f"{portal.base}/healthz/")
    assert status == 500

    proxy.start()  # the database is back, on the same address

    status, _headers, body = fetch(f"{portal.base}/matters/")
    assert status == 200, portal.log()[-3000:]
    assert TITLE in body
    assert fetch(f"{portal.base}/healthz/")[0] == 200
    assert fetch(f"{portal.base}/api/v1/matters/")[0] == 200
    # The same server process all along: it recovered, nothing restarted it.
    assert portal.poll() is None and portal.pid == pid


@pytest.mark.postgres  # statement timeouts and SQLSTATEs as PostgreSQL reports them
@pytest.mark.django_db
def test_a_failed_query_is_not_taken_for_an_unreachable_database():
    """A deadlock or a statement timeout is a fault to look into: it stays a server error."""
    with (
        pytest.raises(OperationalError) as caught,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL statement_timeout = 1")
        cursor.execute("SELECT pg_sleep(1)")
    assert not database_unreachable(caught.value)
    request = RequestFactory().get("/matters/")
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    assert middleware.process_exception(request, caught.value) is None
    assert middleware.process_exception(request, DatabaseError("syntax")) is None
