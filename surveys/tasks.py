from celery import shared_task

from . import services


@shared_task
def record_closed_surveys() -> int:
    """Put every survey that has closed with responses on its matter's record."""
    return services.record_closed_surveys()
