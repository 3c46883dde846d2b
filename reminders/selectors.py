"""Reads of the reminder outbox."""

from django.db.models import Q, QuerySet

from .models import Reminder


def reminders_for_user(*, user) -> QuerySet[Reminder]:
    """The reminders addressed to this account, or to its e-mail address, newest first."""
    addressed = Q(user=user)
    if user.email:
        addressed |= Q(recipient__iexact=user.email)
    return Reminder.objects.filter(addressed).order_by("-due_at", "-pk")
