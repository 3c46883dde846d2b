"""Reads of consultation activities, shaped so that a page costs a constant few queries."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from core.search import search
from matters.models import Matter

from ..models import Activity
from ..rules import PUBLIC_ACTIVITY


def _shape(queryset: QuerySet[Activity]) -> QuerySet[Activity]:
    return queryset.select_related("matter__department", "minutes_document")


def activities_public() -> QuerySet[Activity]:
    """Activities anyone may see: public, notice published, of a published matter."""
    return _shape(Activity.objects.filter(PUBLIC_ACTIVITY))


def activities_matching(queryset: QuerySet[Activity], text: str) -> QuerySet[Activity]:
    """Activities whose title or agenda contains every word of ``text``, best first, then
    the latest to start; the columns of the index ``participation_activity_search``."""
    return search(queryset, text, title="title", body="agenda", recency="starts_at")


def activities_upcoming(
    *, kind: str = "", now: datetime.datetime | None = None
) -> QuerySet[Activity]:
    now = now or timezone.now()
    queryset = activities_public().filter(starts_at__gt=now)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by("starts_at", "pk")


def activities_with_minutes(*, kind: str = "") -> QuerySet[Activity]:
    queryset = activities_public().filter(status=Activity.Status.MINUTES_PUBLISHED)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by("-starts_at", "-pk")


def activity_public_detail(*, pk: int) -> Activity:
    """A public activity, or ``Activity.DoesNotExist``."""
    return activities_public().get(pk=pk)


def activities_of_matter(*, matter: Matter) -> QuerySet[Activity]:
    return _shape(Activity.objects.filter(matter=matter).select_related("created_by")).order_by(
        "-starts_at", "-pk"
    )


def activities_public_of_matter(*, matter: Matter) -> QuerySet[Activity]:
    return activities_public().filter(matter=matter).order_by("starts_at", "pk")


def activity_staff_detail(*, pk: int) -> Activity:
    return Activity.objects.select_related(
        "matter__department", "minutes_document", "created_by"
    ).get(pk=pk)
