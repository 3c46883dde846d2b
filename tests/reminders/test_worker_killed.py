"""A Celery worker killed in the middle of sending a reminder loses nothing and, once the
sweep has run, has sent it exactly once.

A real worker (subprocess, solo pool) consumes a queue of this test's own on the real
Redis broker and sends through a small SMTP server in this process. The server holds the
first connection before its greeting, so the worker is caught inside ``reminder_send``,
with the row locked, when it is killed with SIGKILL. Nothing here mocks Redis, Celery,
PostgreSQL or SMTP.
"""

import contextlib
import datetime
import email
import email.policy
import os
import re
import signal
import socketserver
import threading
import uuid

import pytest
import redis
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from occasions import services as occasion_services
from reminders import services
from reminders.models import Reminder
from reminders.tasks import send_reminder
from tests.factories import DepartmentFactory, StaffFactory

from .conftest import at
from .worker_support import MARKS, WorkerProcess, delete_queue, sending_to, wait_for

pytestmark = MARKS

WAIT = 30  # seconds, the most any one wait may take
QUEUE = f"test-worker-killed-{os.getpid()}-{uuid.uuid4().hex[:8]}"


class SmtpServer(socketserver.ThreadingTCPServer):
    """Just enough SMTP for Django's backend. It keeps every message it accepted, and
    holds the first connection before its greeting until ``release`` is set."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), SmtpHandler)
        self.port = self.server_address[1]
        self.messages: list[email.message.EmailMessage] = []
        self.connections = 0
        self.first_connected = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()

    def delivered(self, reminder: Reminder) -> int:
        with self.lock:
            return sum(
                str(message["To"]) == reminder.recipient
                and str(message["Subject"]).strip() == reminder.subject
                for message in self.messages
            )


class SmtpHandler(socketserver.StreamRequestHandler):
    def handle(self):
        server = self.server
        with server.lock:
            server.connections += 1
            first = server.connections == 1
        if first:
            server.first_connected.set()
            server.release.wait(WAIT)
        with contextlib.suppress(OSError):  # the client is gone (killed)
            self._converse(server)

    def _reply(self, line: str):
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def _converse(self, server):
        self._reply("220 localhost ESMTP test")
        data, lines = False, []
        while line := self.rfile.readline():
            if data:
                if line == b".\r\n":
                    message = email.message_from_bytes(b"".join(lines), policy=email.policy.default)
                    with server.lock:
                        server.messages.append(message)
                    data, lines = False, []
                    self._reply("250 queued")
                else:
                    lines.append(line[1:] if line.startswith(b"..") else line)
                continue
            verb = line[:4].upper()
            if verb == b"EHLO":
                self._reply("250-localhost")
                self._reply("250 8BITMIME")
            elif verb == b"DATA":
                data = True
                self._reply("354 end with <CRLF>.<CRLF>")
            elif verb == b"QUIT":
                self._reply("221 bye")
                return
            else:  # HELO, MAIL, RCPT, RSET, NOOP
                self._reply("250 ok")


@pytest.fixture
def smtp():
    server = SmtpServer()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


class Worker(WorkerProcess):
    """``celery worker --pool=solo`` in a subprocess: the process that sends is the one
    that is killed."""

    pool = "solo"
    concurrency = 1

    def __init__(self, folder, smtp_port: int):
        super().__init__(folder, QUEUE, timeout=WAIT)
        self.smtp_port = smtp_port

    def environment(self) -> dict[str, str]:
        return {
            **super().environment(),
            # Not the test settings, whose e-mail backend is in-memory: real SMTP here.
            "DJANGO_SETTINGS_MODULE": "consult_portal.settings.local",
            "DEBUG": "false",
            "EMAIL_URL": f"smtp://127.0.0.1:{self.smtp_port}",
        }

    def kill(self):
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=WAIT)

    def finished(self, task_id: str) -> bool:
        return f"[{task_id}] succeeded" in self.log()


def broker():
    """Send tasks from this process through the real broker to this test's queue."""
    return sending_to(QUEUE)


@pytest.fixture
def workers(transactional_db, tmp_path, smtp):
    started = []

    def start():
        worker = Worker(tmp_path, smtp.port)
        worker.start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
    # Leave nothing in Redis: the queue, and the killed worker's unacknowledged delivery
    # (which the broker would otherwise put back on the deleted queue an hour later).
    delete_queue(QUEUE)
    client = redis.Redis.from_url(settings.REDIS_URL)
    for tag, payload in client.hgetall("unacked").items():
        if QUEUE.encode() in payload:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)


def locked_by_someone_else(pk: int) -> bool:
    with transaction.atomic():
        return not Reminder.objects.select_for_update(skip_locked=True).filter(pk=pk).exists()


def test_a_worker_killed_mid_send_loses_nothing_and_the_sweep_sends_it_once(workers, smtp):
    StaffFactory(department=DepartmentFactory())
    first = workers()

    with broker():
        # The scan records the reminder and enqueues its send after commit.
        result = occasion_services.scan(now=at(2026, 3, 28))
        assert len(result.recorded) == 1
        reminder = Reminder.objects.get()

        # The worker took the task and is inside the send, the row locked, waiting for
        # the SMTP greeting: kill it there.
        assert smtp.first_connected.wait(WAIT), first.log()
        assert locked_by_someone_else(reminder.pk)
        first.kill()
        smtp.release.set()

        # Nothing was lost: the transaction died with the worker, the row is pending
        # as before, and PostgreSQL has released its lock.
        wait_for(
            lambda: not locked_by_someone_else(reminder.pk), "the row lock to go", timeout=WAIT
        )
        reminder.refresh_from_db()
        assert (reminder.status, reminder.attempts) == (Reminder.Status.PENDING, 0)
        assert smtp.delivered(reminder) == 0

        # A new worker; the periodic sweep finds the pending row and sends it, once.
        second = workers()
        sweep_at = timezone.now() + services.SWEEP_AFTER + datetime.timedelta(seconds=1)
        assert services.send_pending(now=sweep_at) == 1
        wait_for(lambda: smtp.delivered(reminder) >= 1, "the reminder e-mail", timeout=WAIT, worker=second)
        wait_for(
            lambda: Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.SENT).exists(),
            "the row to be marked sent",
            timeout=WAIT,
            worker=second,
        )

        # The sweep again, and the task delivered once more: nothing more goes out.
        assert services.send_pending(now=sweep_at + datetime.timedelta(minutes=5)) == 0
        again = send_reminder.delay(reminder.pk).id
        wait_for(lambda: second.finished(again), "the repeated send task", timeout=WAIT, worker=second)

    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (Reminder.Status.SENT, 1)
    assert smtp.delivered(reminder) == 1
    assert len(smtp.messages) == 1
    # The repeated task found the row sent and returned False without sending.
    assert re.search(rf"\[{again}\] succeeded in \S+: False", second.log())
    assert "Traceback" not in second.log()
    assert first.process.returncode == -signal.SIGKILL
