"""Reads for invitations and hearing registrations, each a constant number of queries."""

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from reminders.models import Reminder

from .. import tokens
from ..models import Activity, Draw, Invitation, Participant, Registration

SHOWN_TO_PUBLIC = (
    Activity.Status.NOTICE_PUBLISHED,
    Activity.Status.HELD,
    Activity.Status.MINUTES_PUBLISHED,
)


def activity_for_staff(*, pk: int) -> Activity:
    return get_object_or_404(Activity.objects.select_related("matter__department"), pk=pk)


def invitation_by_token(*, token: str) -> Invitation:
    """The one invitation whose hash matches; ``Invitation.DoesNotExist`` otherwise."""
    return Invitation.objects.select_related("participant", "activity__matter__department").get(
        token_hash=tokens.token_hash(token)
    )


def invitations_for_activity(*, activity: Activity) -> QuerySet[Invitation]:
    """With ``email_status``: the state of the latest e-mail in the outbox (pending, sent,
    failed), so staff see an invitation that has not gone out yet."""
    latest_email = (
        Reminder.objects.filter(
            kind=Reminder.Kind.INVITATION, object_type="invitation", object_id=OuterRef("pk")
        )
        .exclude(status=Reminder.Status.CANCELLED)
        .order_by("-created_at", "-pk")
        .values("status")[:1]
    )
    return (
        Invitation.objects.filter(activity=activity)
        .select_related("participant")
        .annotate(email_status=Subquery(latest_email))
        .order_by("participant__category", "participant__name", "pk")
    )


def invitation_counts(*, activity: Activity) -> dict[str, int]:
    rows = Invitation.objects.filter(activity=activity).aggregate(
        total=Count("pk"),
        pending=Count("pk", filter=Q(status=Invitation.Status.PENDING)),
        accepted=Count("pk", filter=Q(status=Invitation.Status.ACCEPTED)),
        declined=Count("pk", filter=Q(status=Invitation.Status.DECLINED)),
        attended=Count("pk", filter=Q(attended=True)),
    )
    return rows


def category_balance(*, activity: Activity) -> list[dict]:
    """Invited / accepted / declined / attended per participant category, in category order."""
    rows = {
        row["participant__category"]: row
        for row in Invitation.objects.filter(activity=activity)
        .values("participant__category")
        .annotate(
            invited=Count("pk"),
            accepted=Count("pk", filter=Q(status=Invitation.Status.ACCEPTED)),
            declined=Count("pk", filter=Q(status=Invitation.Status.DECLINED)),
            attended=Count("pk", filter=Q(attended=True)),
        )
        .order_by()
    }
    return [
        {"label": label, **rows[value]}
        for value, label in Participant.Category.choices
        if value in rows
    ]


def participants_to_invite() -> QuerySet[Participant]:
    return Participant.objects.filter(is_active=True).order_by("category", "name", "pk")


def activity_for_registration(*, pk: int) -> Activity:
    """A public hearing that takes registrations, once its notice is out; 404 otherwise."""
    return get_object_or_404(
        Activity.objects.select_related("matter__department"),
        pk=pk,
        is_public=True,
        accepts_registrations=True,
        matter__is_published=True,
        status__in=SHOWN_TO_PUBLIC,
    )


def activity_draw(*, activity: Activity) -> Draw | None:
    return Draw.objects.filter(activity=activity).select_related("drawn_by").first()


def registrations_for_activity(*, activity: Activity) -> QuerySet[Registration]:
    return Registration.objects.filter(activity=activity).order_by("pk")


def registration_counts(*, activity: Activity) -> dict[str, int]:
    return Registration.objects.filter(activity=activity).aggregate(
        total=Count("pk"),
        support=Count("pk", filter=Q(position=Registration.Position.SUPPORT)),
        oppose=Count("pk", filter=Q(position=Registration.Position.OPPOSE)),
        other=Count("pk", filter=Q(position=Registration.Position.OTHER)),
        selected=Count("pk", filter=Q(status=Registration.Status.SELECTED)),
    )


def selected_representatives(*, activity: Activity) -> list[dict]:
    """Only what the public may see of the chosen: number and name, never contact data."""
    return list(
        Registration.objects.filter(activity=activity, status=Registration.Status.SELECTED)
        .order_by("pk")
        .values("pk", "name")
    )


def activities_with_registrations_to_decide(*, activities: QuerySet[Activity]) -> QuerySet:
    """Of ``activities`` (a rules queryset such as ``managed_activities(user)``), the hearings
    with public registrations whose representatives are not chosen yet, each with
    ``new_registrations``, the number waiting. For the workbench; one query."""
    return (
        activities.filter(accepts_registrations=True)
        .annotate(
            new_registrations=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.REGISTERED)
            ),
            decided=Count(
                "registrations", filter=~Q(registrations__status=Registration.Status.REGISTERED)
            ),
        )
        .filter(new_registrations__gt=0, decided=0, draw__isnull=True)
        .order_by("registration_closes_at", "pk")
    )
