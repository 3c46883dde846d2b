"""Outbox tasks: each takes ids (or nothing), calls a service, and is safe to run twice."""

from celery import shared_task

from . import services


@shared_task
def send_reminder(reminder_id: int) -> bool:
    # No Celery retry: a failure is recorded on the row with its next attempt, and the
    # periodic sweep (send_pending_reminders) is the one clock that tries it again.
    return services.reminder_send(reminder_id=reminder_id)


@shared_task
def send_pending_reminders() -> int:
    return services.send_pending()
