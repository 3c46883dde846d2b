from celery import shared_task

from .services import letters


@shared_task
def close_due_solicitations() -> int:
    """Close every letter of solicitation past its deadline day."""
    return letters.close_due_solicitations()
