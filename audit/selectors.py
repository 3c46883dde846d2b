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


def sign_in_notice(user) -> dict | None:
    """What the account's holder is told after signing in (登录提示): when and from where
    the sign-in before this one was, and how many failed attempts with the account's name
    came since then. None at the first sign-in."""
    from .models import Kind

    logins = list(
        SecurityEvent.objects.filter(kind=Kind.LOGIN, actor_id=user.pk)
        .order_by("-seq")
        .values("seq", "at", "address")[:2]
    )
    if len(logins) < 2:
        return None
    current, previous = logins
    failures = SecurityEvent.objects.filter(
        kind=Kind.LOGIN_FAILED,
        username__iexact=user.get_username(),
        seq__gt=previous["seq"],
        seq__lt=current["seq"],
    ).count()
    return {"at": previous["at"], "address": previous["address"], "failures": failures}
