from celery import shared_task

from .services import purge


@shared_task
def purge_security_audit() -> int:
    """Nightly: delete the security audit rows past their retention period."""
    return purge()
