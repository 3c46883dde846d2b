from celery import shared_task

from .retention import personal_data_expire


@shared_task
def expire_personal_data() -> None:
    """Nightly: delete personal data past its retention period (portal/retention.py)."""
    personal_data_expire()
