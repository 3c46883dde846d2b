"""Open-data tasks. Building the archive twice on one day replaces the first with the
same contents, atomically, so a retried or doubled run does no harm."""

from celery import shared_task

from .opendata import build_archive


@shared_task
def build_open_data_archive() -> str:
    return build_archive().name
