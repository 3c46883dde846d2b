import datetime

from django.db.models import QuerySet

from core.dates import SHANGHAI, day_end

from .models import SecurityEvent


def trail(*, kind="", outcome="", username="", address="", since=None, until=None) -> QuerySet:
    """The trail, newest first, narrowed by what the auditor asked (dates in Beijing)."""
    events = SecurityEvent.objects.all()
    if kind:
        events = events.filter(kind=kind)
    if outcome:
        events = events.filter(outcome=outcome)
    if username:
        events = events.filter(username__iexact=username.strip())
    if address:
        events = events.filter(address=address.strip())
    if since:
        events = events.filter(
            at__gte=datetime.datetime.combine(since, datetime.time.min, SHANGHAI)
        )
    if until:
        events = events.filter(at__lt=day_end(until))
    return events.order_by("-seq")
