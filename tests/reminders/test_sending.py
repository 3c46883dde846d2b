"""Each reminder is sent once: second scans, redelivered tasks and SMTP failures."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from occasions import services as occasion_services
from reminders import services
from reminders.models import Reminder
from reminders.tasks import send_pending_reminders, send_reminder
from tests.factories import DepartmentFactory, LeaderFactory, ReviewerFactory, StaffFactory

from .conftest import at

pytestmark = pytest.mark.django_db

FAILING = "tests.reminders.backends.FailingBackend"


@pytest.fixture
def staff():
    return StaffFactory(department=DepartmentFactory(name="青岛市司法局", code="sfj"))


def test_running_the_scan_twice_sends_nothing_more(run_scan, staff, mailoutbox):
    first = run_scan(at(2026, 3, 28))
    second = run_scan(at(2026, 3, 28, hour=9, minute=15))
    assert len(first.recorded) == 1
    assert second.due == 1 and second.recorded == []
    assert len(mailoutbox) == 1
    assert Reminder.objects.get().status == Reminder.Status.SENT


def test_each_reminder_has_one_message_id_on_every_attempt(run_scan, staff, mailoutbox, settings):
    """A repeat after a worker died between the mail server's acceptance and the commit
    carries the same Message-ID, so mail systems can drop it."""
    settings.PORTAL_BASE_URL = "https://xieshang.qingdao.gov.cn"
    run_scan(at(2026, 3, 28))
    reminder = Reminder.objects.get()
    [sent] = mailoutbox
    expected = f"<reminder-{reminder.pk}@xieshang.qingdao.gov.cn>"
    assert sent.message()["Message-ID"] == expected

    Reminder.objects.filter(pk=reminder.pk).update(status=Reminder.Status.PENDING)
    services.reminder_send(reminder_id=reminder.pk)

    assert [m.message()["Message-ID"] for m in mailoutbox] == [expected, expected]


def test_a_redelivered_send_task_sends_nothing_more(run_scan, staff, mailoutbox):
    run_scan(at(2026, 3, 28))
    reminder = Reminder.objects.get()
    assert send_reminder.delay(reminder.pk).get() is False
    assert services.reminder_send(reminder_id=reminder.pk) is False
    assert len(mailoutbox) == 1
    reminder.refresh_from_db()
    assert reminder.attempts == 1


def test_a_failing_send_stays_pending_and_is_retried_later(run_scan, staff, mailoutbox, settings):
    settings.EMAIL_BACKEND = FAILING
    run_scan(at(2026, 3, 28))
    reminder = Reminder.objects.get()
    assert reminder.status == Reminder.Status.PENDING
    assert reminder.attempts == 1
    assert "SMTPServerDisconnected" in reminder.last_error
    # The sweep leaves it alone until its back-off has passed.
    assert services.pending_due(now=reminder.created_at + datetime.timedelta(minutes=1)) == []
    retry_at = reminder.next_attempt_at
    assert services.pending_due(now=retry_at) == [reminder.pk]

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.send_pending(now=retry_at) == 1
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT
    assert reminder.attempts == 2
    assert reminder.last_error == ""
    assert len(mailoutbox) == 1
    assert services.send_pending(now=retry_at + datetime.timedelta(hours=1)) == 0


def test_a_failure_is_recorded_for_the_sweep_and_celery_does_not_retry_beside_it(
    run_scan, staff, settings
):
    """One retry clock: the row's next attempt, read by the sweep. A send task that fails
    returns normally, so Celery schedules nothing of its own."""
    settings.EMAIL_BACKEND = FAILING
    run_scan(at(2026, 3, 28))
    reminder = Reminder.objects.get()
    assert send_reminder.apply(args=[reminder.pk]).get() is False
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.PENDING
    assert reminder.attempts == 2
    assert reminder.next_attempt_at > reminder.created_at
    assert not getattr(send_reminder, "autoretry_for", ())


def test_after_the_last_attempt_the_reminder_is_marked_failed(run_scan, staff, settings):
    settings.EMAIL_BACKEND = FAILING
    run_scan(at(2026, 3, 28))
    reminder = Reminder.objects.get()
    for _ in range(services.MAX_ATTEMPTS - 1):
        services.reminder_send(reminder_id=reminder.pk)
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.FAILED
    assert reminder.attempts == services.MAX_ATTEMPTS
    assert services.pending_due(now=at(2027, 1, 1)) == []


def test_a_row_recorded_but_never_sent_is_picked_up_by_the_sweep(staff, mailoutbox):
    # A crash between commit and enqueue: the after-commit callbacks never run.
    result = occasion_services.scan(now=at(2026, 3, 28))
    assert mailoutbox == []
    assert services.pending_due(now=at(2026, 3, 28, hour=9, minute=0, second=30)) == []
    send_pending_reminders.delay()  # now is long after 2026-03-28 in this run
    assert [m.to for m in mailoutbox] == [[staff.email]]
    assert Reminder.objects.get(pk=result.recorded[0]).status == Reminder.Status.SENT


def _departments(count):
    for n in range(count):
        department = DepartmentFactory()
        StaffFactory(department=department)
        LeaderFactory(department=department)
        if n % 2:
            from tests.factories import make_plan

            make_plan(department=department, status="returned")


@pytest.mark.parametrize("count", [5, 40])
def test_scan_queries_do_not_grow_with_departments(
    count, django_assert_max_num_queries, staff, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ReviewerFactory()
    _departments(count)
    # deadline, departments, plans, returned plans, members, reviewers, and per batch:
    # existing keys, insert, read back (plus the batch savepoint).
    with django_assert_max_num_queries(12):
        result = occasion_services.scan(now=at(2026, 3, 28))
    # The staff fixture's department, and staff and leader of each unfiled department.
    assert result.due == len(result.recorded) == 1 + (count // 2 + count % 2) * 2
    with django_assert_max_num_queries(12):
        occasion_services.scan(now=at(2026, 4, 20))


def test_scan_queries_are_the_same_for_5_and_40_departments(staff):
    counts = []
    for count, day in [(5, 1), (35, 2)]:
        _departments(count)
        with CaptureQueriesContext(connection) as queries:
            occasion_services.scan(now=at(2026, 4, day))
        if connection.vendor == "sqlite":
            # SQLite caps the parameters of one statement, so Django splits a bulk insert
            # of many rows; every other database inserts a batch in one statement.
            queries = [q for q in queries if not q["sql"].startswith("INSERT")]
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_run_reminders_prints_what_it_recorded_and_sent(staff, mailoutbox, capsys):
    call_command("run_reminders", "--now", "2026-03-28T09:00:00+08:00")
    out = capsys.readouterr().out
    assert "2026-03-28 09:00:00+0800" in out
    assert "新记录 1 条" in out
    assert "[已发送] 目录报送截止提醒 deadline-3d" in out
    assert staff.email in out
    assert reverse("annual_plans:staff_list") in out
    assert len(mailoutbox) == 1
    call_command("run_reminders", "--now", "2026-03-28T09:00:00+08:00")
    assert "新记录 0 条" in capsys.readouterr().out
    assert len(mailoutbox) == 1


def test_run_reminders_refuses_a_bad_moment(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("run_reminders", "--now", "28 March")
