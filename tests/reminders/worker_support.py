"""What the real-worker tests share: a ``celery worker`` subprocess on the test database,
sending tasks from the test to a queue of its own, and leaving nothing behind in Redis."""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from urllib.parse import quote

import pytest
from django.conf import settings
from kombu import Exchange, Queue

from consult_portal.celery import app as celery_app

# The worker runs in another process on the test database: PostgreSQL and Redis only
# (an SQLite test database cannot be shared).
MARKS = [
    pytest.mark.worker,
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.slow,  # a worker process started and stopped per test
    # Rows must be committed for the worker to see them; the role groups come back after.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def worker_database_url() -> str:
    db = settings.DATABASES["default"]
    auth = quote(db.get("USER") or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or ""
    if db.get("PORT"):
        host += f":{db['PORT']}"
    return f"postgres://{auth}{'@' if auth else ''}{host}/{quote(db['NAME'], safe='')}"


def wait_for(condition, what: str, *, timeout: float, worker=None):
    """Poll ``condition`` until it is true; fail naming ``what`` (with the worker's log)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if worker is not None and worker.process.poll() is not None:
            pytest.fail(f"the worker exited ({worker.process.returncode}):\n{worker.log()}")
        if time.monotonic() > deadline:
            tail = worker.log()[-4000:] if worker is not None else ""
            pytest.fail(f"waited {timeout:.0f} s for {what}\n{tail}")
        time.sleep(0.1)


class WorkerProcess:
    """``celery worker`` in a subprocess consuming ``queue``, with its log in ``folder``."""

    pool = "prefork"
    concurrency = 2

    def __init__(self, folder, queue: str, *, timeout: float):
        self.log_path = folder / "worker.log"
        self.queue = queue
        self.timeout = timeout
        self.process = None
        # Workers of one test share the log: a new one is ready at one more "ready".
        self._readies = self.log().count(" ready.")

    def environment(self) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": worker_database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
        }

    def start(self):
        command = [
            sys.executable, "-m", "celery", "-A", "consult_portal", "worker",
            f"--pool={self.pool}", f"--concurrency={self.concurrency}", "-Q", self.queue,
            "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO",
        ]  # fmt: skip
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                command, cwd=settings.BASE_DIR, env=self.environment(), stdout=log, stderr=log
            )
        wait_for(
            lambda: self.log().count(" ready.") > self._readies,
            "the worker to start",
            timeout=self.timeout,
            worker=self,
        )
        self._readies = self.log().count(" ready.")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # warm shutdown: finish the task in hand
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def forget_connections():
    # Celery keeps the producer pool and the routing table from the first send; drop them
    # (as it does itself after a fork) so that the next send uses the configuration just set.
    celery_app._pool = None
    amqp = celery_app.amqp
    amqp._producer_pool = None
    for cached in ("queues", "default_queue", "router"):
        amqp.__dict__.pop(cached, None)


@contextmanager
def sending_to(queue: str, *, broker_url: str | None = None):
    """Send tasks from this process through the broker (``broker_url``, by default the
    configured one) to ``queue``, not eagerly."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.task_always_eager, conf.task_default_queue
    conf.broker_url = broker_url or conf.broker_url
    conf.task_always_eager, conf.task_default_queue = False, queue
    forget_connections()
    try:
        yield
    finally:
        conf.broker_url, conf.task_always_eager, conf.task_default_queue = saved
        forget_connections()


def delete_queue(queue: str) -> None:
    """Leave nothing in Redis: the queue and its binding (declared, so the channel knows it)."""
    with celery_app.connection_for_write(settings.REDIS_URL) as conn:
        bound = Queue(queue, Exchange(queue), routing_key=queue)(conn.default_channel)
        bound.declare()
        bound.delete()
