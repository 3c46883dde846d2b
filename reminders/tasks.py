"""Reminder tasks: each takes ids (or nothing), calls a service, and is safe to run twice."""

from smtplib import SMTPException

from celery import shared_task

from . import services


@shared_task(
    bind=True,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def send_reminder(self, reminder_id: int) -> bool:
    # Without a broker a retry would run at once, in process: leave the recorded failure
    # to the periodic sweep instead.
    return services.reminder_send(reminder_id=reminder_id, raise_errors=not self.request.is_eager)


@shared_task
def scan_reminders() -> dict:
    return services.scan().as_dict()


@shared_task
def send_pending_reminders() -> int:
    return services.send_pending()
