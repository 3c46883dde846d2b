"""Invitations to consultation activities: send, resend, reply by personal link, attendance.

Every write locks its row (the activity for a batch, the invitation for a reply), checks the
state, writes a ledger row and records its e-mail in the outbox in the same transaction;
the outbox sends after commit and retries, and marks the invitation sent once it has gone.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.content_cache import content_changed
from core.exceptions import TransitionError
from reminders.models import Reminder
from reminders.services import outbox_cancel, outbox_record, outbox_row

from .. import events, tokens
from ..models import Activity, Invitation, Participant

CLOSED_STATUSES = (Activity.Status.HELD, Activity.Status.MINUTES_PUBLISHED)


class ReplyClosed(TransitionError):
    """The reply deadline has passed: the link no longer answers."""


@dataclass
class LinkBatch:
    """What one round of invitations by personal link did, for the staff member to read:
    the rows made, who was already invited (not twice) and who has no e-mail address
    (invited; staff telephone them)."""

    created: list = field(default_factory=list)
    already: list[Participant] = field(default_factory=list)
    without_email: list[Participant] = field(default_factory=list)


def invite_by_link(
    candidates: Iterable[Participant],
    *,
    invited: set[int],
    create: Callable[[Participant, str], object],
    email: Callable[[object, str], Reminder],
) -> LinkBatch:
    """Invite each candidate not in ``invited`` (participant ids) by a personal link:
    ``create(participant, token_hash)`` makes the row that keeps only the link's hash, and
    ``email(row, token)`` the outbox row that carries the link until it is sent. Call it
    inside the caller's transaction, with the invited object locked."""
    batch = LinkBatch()
    emails = []
    for participant in candidates:
        if participant.pk in invited:
            batch.already.append(participant)
            continue
        token = tokens.new_token()
        row = create(participant, tokens.token_hash(token))
        batch.created.append(row)
        if participant.email:
            emails.append(email(row, token))
        else:
            batch.without_email.append(participant)
    outbox_record(emails)
    return batch


def _lock_activity(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().select_related("matter").get(pk=activity.pk)


def _check_deadline(activity: Activity, reply_deadline: datetime.datetime, now) -> None:
    if activity.status in CLOSED_STATUSES or activity.starts_at <= now:
        raise TransitionError(_("活动已开始或已举行，不能再发出邀请。"))
    if reply_deadline <= now:
        raise TransitionError(_("回复截止时间必须晚于现在。"))
    if reply_deadline > activity.starts_at:
        raise TransitionError(_("回复截止时间不能晚于活动开始时间。"))


def _email(invitation: Invitation, token: str, *, now) -> Reminder:
    """The invitee's e-mail, for the outbox. The personal link exists only in that row until
    the e-mail has gone out (the invitation keeps just the token's hash)."""
    activity = invitation.activity
    return outbox_row(
        kind=Reminder.Kind.INVITATION,
        obj=invitation,
        recipient=invitation.participant.email,
        occasion=f"sent-{now:%Y%m%d%H%M%S%f}",
        subject=_("邀请您参加“%(title)s”") % {"title": activity.title},
        template="participation/emails/invitation",
        context={
            "invitation": invitation,
            "activity": activity,
            "participant": invitation.participant,
            "deadline": timezone.localtime(invitation.reply_deadline),
            "starts_at": timezone.localtime(activity.starts_at),
        },
        secret=tokens.invitation_url(token),
        now=now,
    )


def mark_invitations_sent(ids: list[int], sent_at) -> None:
    """Called by the outbox once an invitation's e-mail has gone out."""
    Invitation.objects.filter(pk__in=ids).update(sent_at=sent_at)


def invitees(
    *, participants: Iterable[Participant] = (), categories: Iterable[str] = ()
) -> list[Participant]:
    """Whom an invitation by person and by category reaches: the chosen participants and
    every active one of ``categories``, in the registry's order. Refused: nobody chosen, an
    unknown category, a chosen participant who is no longer active."""
    categories = sorted(set(categories))
    if set(categories) - set(Participant.Category.values):
        raise TransitionError(_("未知的参与主体类别。"))
    chosen = {p.pk for p in participants}
    if not chosen and not categories:
        raise TransitionError(_("请选择要邀请的参与主体或类别。"))
    wanted = Q(pk__in=chosen) | Q(category__in=categories)
    candidates = list(
        Participant.objects.filter(wanted, is_active=True).order_by("category", "name", "pk")
    )
    if chosen - {p.pk for p in candidates}:
        raise TransitionError(_("所选参与主体中有已停用的，不能邀请。"))
    return candidates


@transaction.atomic
def invitations_send(
    *,
    activity: Activity,
    by,
    reply_deadline: datetime.datetime,
    participants: Iterable[Participant] = (),
    categories: Iterable[str] = (),
    now: datetime.datetime | None = None,
) -> LinkBatch:
    """Invite the chosen participants and every active participant of ``categories``.

    Someone already invited is reported, not invited twice (one invitation each).
    """
    now = now or timezone.now()
    activity = _lock_activity(activity)
    _check_deadline(activity, reply_deadline, now)
    batch = invite_by_link(
        invitees(participants=participants, categories=categories),
        invited=set(activity.invitations.values_list("participant_id", flat=True)),
        create=lambda participant, token_hash: Invitation.objects.create(
            activity=activity,
            participant=participant,
            token_hash=token_hash,
            reply_deadline=reply_deadline,
            created_by=by,
        ),
        email=lambda invitation, token: _email(invitation, token, now=now),
    )
    if batch.created:
        events.invitations_sent(
            activity,
            by=by,
            invitations=batch.created,
            categories=categories,
            reply_deadline=reply_deadline,
            without_email=batch.without_email,
        )
    return batch


@transaction.atomic
def invitation_resend(
    *, invitation: Invitation, by, now: datetime.datetime | None = None
) -> Invitation:
    """Send the e-mail again with a new link; the old link stops working at once."""
    now = now or timezone.now()
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("participant", "activity__matter")
        .get(pk=invitation.pk)
    )
    if not invitation.participant.email:
        raise TransitionError(_("该参与主体没有电子邮箱，请电话联系。"))
    if invitation.reply_deadline <= now:
        raise TransitionError(_("回复期限已过，不能重发邀请。"))
    token = tokens.new_token()
    invitation.token_hash = tokens.token_hash(token)
    invitation.sent_at = None  # until the new e-mail has gone out
    invitation.save(update_fields=["token_hash", "sent_at"])
    # An e-mail with the old link still waiting would now lead nowhere.
    outbox_cancel(kind=Reminder.Kind.INVITATION, obj=invitation)
    events.invitation_resent(invitation, by=by)
    outbox_record([_email(invitation, token, now=now)])
    return invitation


@transaction.atomic
def invitation_reply(
    *,
    token: str,
    accept: bool,
    decline_reason: str = "",
    now: datetime.datetime | None = None,
) -> Invitation:
    """Answer the invitation the token belongs to; a later answer replaces an earlier one.

    Raises ``Invitation.DoesNotExist`` for a token that belongs to no invitation and
    ``ReplyClosed`` once the reply deadline has passed.
    """
    now = now or timezone.now()
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("participant", "activity__matter")
        .get(token_hash=tokens.token_hash(token))
    )
    if invitation.reply_deadline <= now:
        raise ReplyClosed(_("回复期限已过，无法再回复。"))
    before_status, before_decline_reason = invitation.status, invitation.decline_reason
    invitation.status = Invitation.Status.ACCEPTED if accept else Invitation.Status.DECLINED
    invitation.decline_reason = "" if accept else decline_reason.strip()
    invitation.replied_at = now
    invitation.save(update_fields=["status", "decline_reason", "replied_at"])
    events.invitation_replied(
        invitation, before_status=before_status, before_decline_reason=before_decline_reason
    )
    return invitation


@transaction.atomic
def attendance_record(
    *,
    activity: Activity,
    by,
    attended: Iterable[Invitation],
    now: datetime.datetime | None = None,
) -> int:
    """Mark who of the invitees came; everyone not ticked is recorded as absent."""
    now = now or timezone.now()
    activity = _lock_activity(activity)
    if activity.starts_at > now:
        raise TransitionError(_("活动尚未开始，不能登记出席情况。"))
    present = {i.pk for i in attended}
    invitations = list(activity.invitations.select_for_update().order_by("pk"))
    if present - {i.pk for i in invitations}:
        raise TransitionError(_("所选邀请不属于本次活动。"))
    attended_before = [i.pk for i in invitations if i.attended]
    for invitation in invitations:
        invitation.attended = invitation.pk in present
    Invitation.objects.bulk_update(invitations, ["attended"])
    content_changed()  # bulk_update sends no signal
    events.attendance_recorded(
        activity, by=by, invitations=invitations, attended_before=attended_before
    )
    return len(present)
