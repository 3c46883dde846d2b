"""What the reminder scan (``occasions``) reads of letters of solicitation: the main
addressees who have not answered a letter whose deadline is near. The scan decides which
step is due; this only bounds what it looks at (one query)."""

import datetime

from django.db.models import Q, QuerySet

from annual_plans.deadlines import SHANGHAI

from .models import Addressee, Solicitation


def addressees_to_remind(*, now: datetime.datetime, days: int) -> QuerySet[Addressee]:
    """Outstanding main addressees of sent letters due within ``days`` days (the deadline
    day not over yet): bodies, and people with an e-mail who hold a personal link."""
    today = now.astimezone(SHANGHAI).date()
    return (
        Addressee.objects.filter(
            status=Addressee.Status.OUTSTANDING,
            role=Addressee.Role.MAIN,
            solicitation__status=Solicitation.Status.SENT,
            solicitation__deadline__gte=today,
            solicitation__deadline__lte=today + datetime.timedelta(days=days),
        )
        .filter(Q(department__isnull=False) | (~Q(email="") & ~Q(token_hash="")))
        .select_related("solicitation__matter")
        .order_by("solicitation__deadline", "pk")
    )
