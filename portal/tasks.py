from celery import shared_task

from calls.services import contacts_expire
from participation.services.retention import personal_data_expire


@shared_task
def expire_personal_data() -> None:
    """Nightly: delete personal data past its retention period
    (``participation.services.retention``, and the contacts left with public calls'
    proposals, ``calls.services.contacts_expire``)."""
    personal_data_expire()
    contacts_expire()
