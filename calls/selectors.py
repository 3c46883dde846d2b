"""What the pages, the API and other apps read of public calls."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .models import Call, Submission

Outcome = Submission.Outcome


def calls_public() -> QuerySet[Call]:
    """Published calls, the latest first, with the number of proposals received."""
    return (
        Call.objects.filter(published_at__isnull=False)
        .select_related("department")
        .annotate(proposal_count=Count("submissions"))
        .order_by("-starts_at", "-pk")
    )


def calls_open(now=None) -> QuerySet[Call]:
    now = now or timezone.now()
    return calls_public().filter(starts_at__lte=now, ends_at__gt=now)


def adopted_public(call: Call) -> QuerySet[Submission]:
    """The proposals taken up, with where they went (the published result lists them,
    without the proposers' names)."""
    return (
        call.submissions.filter(outcome=Outcome.ADOPTED)
        .select_related("plan_item__plan__department", "matter", "transferred_to")
        .order_by("submitted_at", "pk")
    )


def staff_counts(calls: QuerySet[Call]) -> QuerySet[Call]:
    return calls.annotate(
        proposal_count=Count("submissions"),
        pending_count=Count("submissions", filter=Q(submissions__outcome=Outcome.PENDING)),
    )
