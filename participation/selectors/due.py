"""What the reminder scan (``occasions``) reads of participation: the rows that may owe a
reminder inside the given horizons. The scan decides which step is due."""

import datetime

from django.db.models import Q, QuerySet

from ..models import Activity, CommentPeriod, Invitation

# Activities still to be held (not held, no minutes).
UPCOMING_ACTIVITY = (Activity.Status.PLANNED, Activity.Status.NOTICE_PUBLISHED)


def periods_closing_or_unreported(
    *, now: datetime.datetime, closing_by: datetime.datetime, closed_before: datetime.datetime
) -> QuerySet[CommentPeriod]:
    """Open periods ending by ``closing_by``, and periods closed before ``closed_before``
    whose feedback report is not published, with their matter and department."""
    return (
        CommentPeriod.objects.filter(
            Q(ends_at__gt=now, ends_at__lte=closing_by)
            | Q(report_published_at__isnull=True, ends_at__lt=closed_before)
        )
        .select_related("matter__department")
        .order_by("ends_at", "pk")
    )


def invitations_to_remind(
    *, now: datetime.datetime, starting_before: datetime.datetime, reply_by: datetime.datetime
) -> QuerySet[Invitation]:
    """Invitations of active participants with an e-mail to activities still to be held:
    accepted or pending ones to activities starting before ``starting_before``, and pending
    ones whose reply deadline falls by ``reply_by``."""
    return (
        Invitation.objects.filter(
            Q(
                activity__status__in=UPCOMING_ACTIVITY,
                activity__starts_at__gt=now,
                participant__is_active=True,
            )
            & ~Q(participant__email="")
            & (
                Q(
                    status__in=[Invitation.Status.ACCEPTED, Invitation.Status.PENDING],
                    activity__starts_at__lt=starting_before,
                )
                | Q(
                    status=Invitation.Status.PENDING,
                    reply_deadline__gt=now,
                    reply_deadline__lte=reply_by,
                )
            )
        )
        .select_related("activity__matter", "participant")
        .order_by("activity__starts_at", "activity_id", "pk")
    )
