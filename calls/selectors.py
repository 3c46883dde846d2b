"""What the pages, the API and other apps read of public calls."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from .models import Call, Submission

Outcome = Submission.Outcome


def with_counts(calls: QuerySet[Call]) -> QuerySet[Call]:
    """Each call with the number of proposals received (``proposal_count``) and of each
    outcome (``adopted_count``, ``pending_count`` …), counted in the same query."""
    return calls.annotate(
        proposal_count=Count("submissions"),
        **{
            f"{outcome}_count": Count("submissions", filter=Q(submissions__outcome=outcome))
            for outcome in Outcome.values
        },
    )


def calls_public() -> QuerySet[Call]:
    """Published calls, the latest first, with their counts."""
    return with_counts(
        Call.objects.filter(published_at__isnull=False).select_related("department")
    ).order_by("-starts_at", "-pk")


def calls_open(now=None) -> QuerySet[Call]:
    now = now or timezone.now()
    return calls_public().filter(starts_at__lte=now, ends_at__gt=now)


def adopted_public(call: Call) -> QuerySet[Submission]:
    """The proposals taken up, with where they went (the published result lists them,
    without the proposers' names)."""
    if hasattr(call, "adopted_list"):
        return call.adopted_list
    return _adopted(call.submissions.all())


def _adopted(submissions: QuerySet[Submission]) -> QuerySet[Submission]:
    return (
        submissions.filter(outcome=Outcome.ADOPTED)
        .select_related("plan_item__plan__department", "matter", "transferred_to")
        .order_by("submitted_at", "pk")
    )


def with_adopted(calls: QuerySet[Call]) -> QuerySet[Call]:
    """The calls with their adopted proposals fetched in one more query (a list of calls
    that shows each result)."""
    return calls.prefetch_related(
        Prefetch("submissions", queryset=_adopted(Submission.objects.all()), to_attr="adopted_list")
    )


def outcome_counts(call: Call) -> dict[str, int]:
    """How many proposals the call received (``total``), and how many of each outcome:
    read from ``with_counts`` where the call came with them, else one query."""
    if all(hasattr(call, f"{outcome}_count") for outcome in Outcome.values):
        counts = {outcome: getattr(call, f"{outcome}_count") for outcome in Outcome.values}
    else:
        counts = call.submissions.aggregate(
            **{outcome: Count("pk", filter=Q(outcome=outcome)) for outcome in Outcome.values}
        )
    return {"total": sum(counts.values()), **counts}
