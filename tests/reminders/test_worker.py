"""Exactly once, never lost: reminders through the real Redis broker and a real Celery worker.

A worker runs as a subprocess on the test database (so PostgreSQL: another process cannot
see an SQLite test database) and consumes a queue of this test run's own; it writes each
e-mail to a file, which the test reads. Nothing here mocks Redis or Celery.
"""

import email
import email.policy
import os
import re
import threading
import time
import uuid
from collections import Counter
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import connections
from django.urls import reverse

from annual_plans import services as plan_services
from annual_plans.models import AnnualPlan
from occasions import services as occasion_services
from reminders import services
from reminders.models import Reminder
from reminders.tasks import send_pending_reminders, send_reminder
from tests.factories import DepartmentFactory, LeaderFactory, StaffFactory, make_plan

from .conftest import at
from .worker_support import MARKS, WorkerProcess, delete_queue, sending_to, wait_for

pytestmark = MARKS

WAIT = 60  # seconds, the most any one wait may take
QUEUE = f"test-reminders-{os.getpid()}-{uuid.uuid4().hex[:8]}"
DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connection refused
FAIL_FAST = 2  # seconds a caller may be held up by a dead broker
TASK_DONE = re.compile(r"Task (?P<name>[\w.]+)\[(?P<id>[\w-]+)\] succeeded in \S+: (?P<value>.*)")
SEND = send_reminder.name
SWEEP = send_pending_reminders.name


@contextmanager
def within(seconds: float, what: str):
    started = time.monotonic()
    yield
    elapsed = time.monotonic() - started
    assert elapsed < seconds, f"{what} took {elapsed:.1f} s with the broker down"


class Worker(WorkerProcess):
    """``celery worker`` in a subprocess, its log and the e-mails it sent."""

    def __init__(self, folder):
        super().__init__(folder, QUEUE, timeout=WAIT)
        self.mail_dir = folder / "mail"
        self.mail_dir.mkdir()

    def environment(self) -> dict[str, str]:
        return {
            **super().environment(),
            "DJANGO_SETTINGS_MODULE": "consult_portal.settings.test",
            "TEST_EMAIL_FILE_PATH": str(self.mail_dir),
        }

    def finished(self, name: str) -> dict[str, str]:
        """Task id => return value, for every task of this name the worker has finished."""
        return {
            match["id"]: match["value"].strip()
            for match in TASK_DONE.finditer(self.log())
            if match["name"] == name
        }

    def wait_finished(self, name: str, *, count: int | None = None, ids=()) -> dict[str, str]:
        def done():
            finished = self.finished(name)
            enough = count is None or len(finished) >= count
            return enough and set(ids) <= set(finished) and finished

        what = f"{count if count is not None else len(ids)} {name} task(s) to finish"
        return wait_for(done, what, timeout=WAIT, worker=self)

    def delivered(self) -> Counter:
        """(recipient, subject) => how many e-mails the worker wrote."""
        sent = Counter()
        for path in self.mail_dir.glob("*.eml"):
            for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if chunk.strip():
                    message = email.message_from_bytes(chunk, policy=email.policy.default)
                    sent[(str(message["To"]), str(message["Subject"]).strip())] += 1
        return sent


def broker(url: str):
    """Send tasks from this process through ``url`` to the test's queue, not eagerly."""
    return sending_to(QUEUE, broker_url=url)


@pytest.fixture
def worker(transactional_db, tmp_path):
    # Depending on transactional_db, the worker is stopped before the tables are flushed.
    worker = Worker(tmp_path)
    try:
        yield worker
    finally:
        worker.stop()
        delete_queue(QUEUE)


def concurrently(*calls):
    """Run the calls in threads released at the same moment; their results, in order."""
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), []

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except BaseException as exc:  # re-raised in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WAIT)
    assert not any(thread.is_alive() for thread in threads), "a scan did not finish"
    if errors:
        raise errors[0]
    return results


def all_sent():
    rows = Reminder.objects.all()
    return rows.exists() and not rows.exclude(status=Reminder.Status.SENT).exists()


def expected_mail():
    return Counter(Reminder.objects.values_list("recipient", "subject"))


def test_two_scans_at_once_send_each_reminder_exactly_once(worker):
    staff = [StaffFactory(department=DepartmentFactory()) for _ in range(5)]
    steps = {
        at(2026, 3, 24): "deadline-7d",
        at(2026, 3, 28): "deadline-3d",
        at(2026, 3, 31): "day-of",
    }
    worker.start()

    recorded = []
    with broker(settings.REDIS_URL):
        for moment in steps:
            # Two scans of the same moment race: each sends only the rows it inserted.
            first, second = concurrently(
                lambda moment=moment: occasion_services.scan(now=moment),
                lambda moment=moment: occasion_services.scan(now=moment),
            )
            assert first.due == second.due >= len(staff)
            assert not set(first.recorded) & set(second.recorded)
            assert len(first.recorded) + len(second.recorded) == first.due
            recorded += first.recorded + second.recorded

        deadline_rows = Reminder.objects.filter(kind=Reminder.Kind.PLAN_DEADLINE)
        assert set(deadline_rows.values_list("recipient", "occasion")) == {
            (user.email, occasion) for user in staff for occasion in steps.values()
        }
        assert deadline_rows.count() == len(staff) * len(steps)
        assert sorted(recorded) == sorted(Reminder.objects.values_list("pk", flat=True))

        wait_for(all_sent, "every reminder to be sent", timeout=WAIT, worker=worker)
        # One send task per recorded row was enqueued after commit; all of them have run.
        sends = worker.wait_finished(SEND, count=len(recorded))
        assert Counter(sends.values()) == {"True": len(recorded)}
        assert worker.delivered() == expected_mail()
        assert set(worker.delivered().values()) == {1}

        # Redelivery: the same send tasks again, and the sweep; nothing more goes out.
        again = [send_reminder.delay(pk).id for pk in recorded]
        sweep = send_pending_reminders.delay().id
        redelivered = worker.wait_finished(SEND, ids=again)
        assert {redelivered[task_id] for task_id in again} == {"False"}
        assert worker.wait_finished(SWEEP, ids=[sweep])[sweep] == "0"

    assert set(worker.delivered().values()) == {1}
    assert sum(worker.delivered().values()) == len(recorded)
    assert set(Reminder.objects.values_list("status", "attempts")) == {(Reminder.Status.SENT, 1)}
    assert "Traceback" not in worker.log()


def test_with_the_broker_down_pages_answer_and_the_sweep_sends_later(worker, client, caplog):
    department = DepartmentFactory()
    filer = StaffFactory(department=department)
    plan = make_plan(department=department, by=filer, status="draft")
    plan_services.plan_sign_off(plan=plan, by=LeaderFactory(department=department))
    waiting = [StaffFactory(department=DepartmentFactory()) for _ in range(4)]

    with broker(DEAD_BROKER):
        client.force_login(filer)
        with within(FAIL_FAST, "the submit page"):
            response = client.post(reverse("annual_plans:submit", args=[plan.pk]))
        assert response.status_code == 302
        assert response.url == reverse("annual_plans:staff_detail", args=[plan.pk])
        plan.refresh_from_db()
        assert plan.status == AnnualPlan.Status.SUBMITTED

        # The scan commits its rows; the after-commit enqueue fails fast, once, and is logged.
        with within(FAIL_FAST, "the scan"):
            result = occasion_services.scan(now=at(2026, 3, 28))
        with within(FAIL_FAST, "the sweep"):
            assert services.send_pending() == 0  # it cannot enqueue either, nor does it raise

    assert len(result.recorded) == len(waiting)
    assert set(Reminder.objects.values_list("recipient", flat=True)) == {
        user.email for user in waiting
    }
    assert set(Reminder.objects.values_list("status", "attempts")) == {(Reminder.Status.PENDING, 0)}
    assert "left pending for the sweep" in caplog.text

    # Redis is back: the periodic sweep (twice at once, as two beats might) sends them.
    worker.start()
    with broker(settings.REDIS_URL):
        sweeps = [send_pending_reminders.delay().id for _ in range(2)]
        wait_for(all_sent, "the pending reminders to be sent", timeout=WAIT, worker=worker)
        swept = worker.wait_finished(SWEEP, ids=sweeps)
        enqueued = sum(int(swept[task_id]) for task_id in sweeps)
        sends = worker.wait_finished(SEND, count=enqueued)

    assert enqueued >= len(waiting)
    assert Counter(sends.values())["True"] == len(waiting)
    assert worker.delivered() == expected_mail()
    assert set(worker.delivered().values()) == {1}
    assert set(Reminder.objects.values_list("status", "attempts")) == {(Reminder.Status.SENT, 1)}
    assert "Traceback" not in worker.log()
