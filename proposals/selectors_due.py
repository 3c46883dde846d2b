"""What the reminder scan (``occasions``) reads of suggestions and proposals: the items that
may owe a reminder inside the given horizons, and the ratings still awaited. The scan
decides which step is due; these only bound what it looks at (one query each)."""

import datetime

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from .models import Contact, Extension, Proposal, Rating, Reply

Status = Proposal.Status
# Not yet replied in the current round (waiting for sign-for, or in handling).
AWAITING_REPLY = (Status.ASSIGNED, Status.HANDLING, Status.SECOND_ROUND)


def proposals_to_remind(*, sign_for_by: datetime.date, due_by: datetime.date) -> QuerySet[Proposal]:
    """Items waiting for sign-for whose window ends by ``sign_for_by``, and items not yet
    replied in their current round whose due date falls by ``due_by`` (or has passed), and
    every item in a second (or later) round, with
    the lead department and ``contacted`` (a contact recorded in the current round)."""
    contacted = Contact.objects.filter(proposal=OuterRef("pk"), round=OuterRef("round"))
    return (
        Proposal.objects.filter(
            Q(status=Status.ASSIGNED, sign_for_deadline__lte=sign_for_by)
            | Q(status__in=AWAITING_REPLY, due_date__lte=due_by)
            | Q(status=Status.SECOND_ROUND),
            lead_department__isnull=False,
        )
        .annotate(contacted=Exists(contacted))
        .select_related("lead_department")
        .order_by("due_date", "pk")
    )


def ratings_awaited(*, sent_before: datetime.datetime) -> QuerySet[Rating]:
    """Ratings not given of the current round's reply of items still waiting for their
    rating (已答复待测评), the reply sent before ``sent_before``: with the item, its lead
    department, the reply and the author."""
    return (
        Rating.objects.filter(
            result="",
            reply__status=Reply.Status.SENT,
            reply__sent_at__lt=sent_before,
            reply__round=F("reply__proposal__round"),
            reply__proposal__status=Status.REPLIED,
        )
        .select_related("reply__proposal__lead_department", "author__participant")
        .order_by("reply__proposal_id", "author__position", "pk")
    )


def awaiting_the_office() -> QuerySet[Proposal]:
    """Items waiting for the general office: returned, to be assigned again, or with an
    extension request to decide (the office's daily digest counts them)."""
    return Proposal.objects.filter(
        Q(status=Status.RETURNED)
        | Q(
            Exists(
                Extension.objects.filter(proposal=OuterRef("pk"), status=Extension.Status.PENDING)
            )
        )
    )


def office_queue_counts() -> dict[str, int]:
    """How many items wait for the office to assign again and to decide an extension."""
    pending = Exists(
        Extension.objects.filter(proposal=OuterRef("pk"), status=Extension.Status.PENDING)
    )
    return awaiting_the_office().aggregate(
        returned=Count("pk", filter=Q(status=Status.RETURNED)),
        extensions=Count("pk", filter=Q(pending)),
    )
