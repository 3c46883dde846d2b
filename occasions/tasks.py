"""The periodic scan of what is due: safe to run twice (the outbox's unique key)."""

from celery import shared_task

from . import services


@shared_task
def scan_reminders() -> dict:
    return services.scan().as_dict()
