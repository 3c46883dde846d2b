from celery import shared_task

from participation.services.retention import personal_data_expire


@shared_task
def expire_personal_data() -> None:
    """Nightly: delete personal data past its retention period
    (``participation.services.retention``)."""
    personal_data_expire()
