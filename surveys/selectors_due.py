"""What the reminder scan (``occasions``) reads of surveys: the panel members who have
not answered a survey closing soon, and the surveys that closed lately. The scan decides
which step is due; these only bound what it looks at (one query each)."""

import datetime

from django.db.models import QuerySet

from .models import PanelMember, Survey


def _running() -> dict:
    return {
        "published_at__isnull": False,
        "cancelled_at__isnull": True,
        "is_offline_record": False,
    }


def panel_members_to_remind(
    *, now: datetime.datetime, closing_by: datetime.datetime
) -> QuerySet[PanelMember]:
    """Members with an e-mail who have not answered a survey that is open now and closes
    by ``closing_by``: with the survey, its matter and the participant."""
    running = {f"survey__{name}": value for name, value in _running().items()}
    return (
        PanelMember.objects.filter(
            answered_at__isnull=True,
            survey__opens_at__lte=now,
            survey__closes_at__gt=now,
            survey__closes_at__lte=closing_by,
            participant__is_active=True,
            **running,
        )
        .exclude(participant__email="")
        .select_related("survey__matter", "participant")
        .order_by("survey__closes_at", "pk")
    )


def surveys_closed(*, now: datetime.datetime, since: datetime.datetime) -> QuerySet[Survey]:
    """Published, not cancelled surveys that closed after ``since`` and by ``now``."""
    return (
        Survey.objects.filter(closes_at__lte=now, closes_at__gt=since, **_running())
        .select_related("matter", "department")
        .order_by("closes_at", "pk")
    )
