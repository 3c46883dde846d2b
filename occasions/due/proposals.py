"""Deputies' suggestions and CPPCC proposals (建议提案): sign-for, contact with the authors,
the reply's due date, overdue items, ratings not given and second rounds.

The item's round and dates are in each occasion: a reassignment starts its own sign-for
reminders, a second round (or an approved extension) its own due reminders.
"""

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from annual_plans.deadlines import SHANGHAI
from core.dates import shown_date
from core.workdays import UnknownCalendarYear, workdays_between
from proposals.models import Proposal, Rating
from reminders.models import Reminder

from .base import Due, iso_week, portal_url, start_of_day
from .snapshot import Snapshot
from .steps import (
    PROPOSAL_CONTACT_DAYS,
    PROPOSAL_DUE_STEPS,
    PROPOSAL_RATING_DAYS,
    PROPOSAL_SIGN_FOR_STEPS,
)

Kind = Reminder.Kind
Status = Proposal.Status
OBJECT_TYPE = "proposals.proposal"


def staff_link(proposal: Proposal) -> str:
    """The item's staff page."""
    return portal_url(reverse("proposals:staff_detail", kwargs={"pk": proposal.pk}))


def office_list_link() -> str:
    """The office's list of suggestions and proposals."""
    return portal_url(reverse("proposals:office_list"))


def _context(proposal: Proposal, **extra) -> dict:
    return {"proposal": proposal, "department": proposal.lead_department, **extra}


def _to(users, proposal: Proposal, **fields) -> Iterator[Due]:
    for user in users:
        yield Due(
            recipient=user.email.strip(),
            user=user,
            object_type=OBJECT_TYPE,
            object_id=proposal.pk,
            link=staff_link(proposal),
            **fields,
        )


def _workdays_left(today: datetime.date, deadline: datetime.date) -> int:
    try:
        return workdays_between(today, deadline)
    except UnknownCalendarYear:
        # A year the holiday schedule does not know: count calendar days rather than
        # lose the reminder (the window itself could not have been set without it).
        return (deadline - today).days


def proposal_sign_for(snapshot: Snapshot) -> Iterator[Due]:
    """Two working days before the sign-for window ends and on its last day, to the lead
    department's members, while the item is neither signed for nor returned."""
    for proposal in snapshot.proposals_to_sign_for:
        deadline = proposal.sign_for_deadline
        if snapshot.today > deadline:
            continue
        left = _workdays_left(snapshot.today, deadline)
        in_effect = [step for step in PROPOSAL_SIGN_FOR_STEPS if step >= left]
        if not in_effect:
            continue
        step = min(in_effect)
        if step == 0:
            subject = _("今天是%(reference)s签收或退回的最后一天") % {
                "reference": proposal.reference
            }
        else:
            subject = _("%(reference)s尚未签收，签收或退回期限为%(date)s") % {
                "reference": proposal.reference,
                "date": shown_date(deadline),
            }
        # The assignment's time is in the occasion: a reassignment is reminded again.
        assigned = proposal.assigned_at.astimezone(SHANGHAI)
        yield from _to(
            snapshot.members.get(proposal.lead_department_id, []),
            proposal,
            kind=Kind.PROPOSAL_SIGN_FOR,
            occasion=f"sign-for-{assigned:%Y%m%d%H%M%S}-{step}wd",
            due_at=start_of_day(deadline if step == 0 else snapshot.today),
            subject=subject,
            template="reminders/proposal_sign_for",
            context=_context(proposal, deadline=deadline, last_day=step == 0),
        )


def proposal_contact(snapshot: Snapshot) -> Iterator[Due]:
    """Thirty days before the due date, to the lead department's staff, when no contact
    with the authors has been recorded in the current round."""
    for proposal in snapshot.proposals_in_handling:
        if proposal.contacted:
            continue
        days_left = (proposal.due_date - snapshot.today).days
        if days_left > PROPOSAL_CONTACT_DAYS:
            continue
        yield from _to(
            snapshot.responsible(proposal.lead_department_id),
            proposal,
            kind=Kind.PROPOSAL_CONTACT,
            occasion=f"contact-r{proposal.round}-{proposal.due_date:%Y%m%d}",
            due_at=start_of_day(proposal.due_date - datetime.timedelta(days=PROPOSAL_CONTACT_DAYS)),
            subject=_("%(reference)s尚未记录与提出人的沟通联系")
            % {"reference": proposal.reference},
            template="reminders/proposal_contact",
            context=_context(proposal, due_date=proposal.due_date, days_left=days_left),
        )


def proposal_due(snapshot: Snapshot) -> Iterator[Due]:
    """Fifteen, seven and three days before the due date, to the lead department's staff,
    while the current round has no reply."""
    for proposal in snapshot.proposals_awaiting_reply:
        days_left = (proposal.due_date - snapshot.today).days
        in_effect = [step for step in PROPOSAL_DUE_STEPS if step >= days_left]
        if days_left < 0 or not in_effect:
            continue
        step = min(in_effect)
        if days_left == 0:
            subject = _("今天是%(reference)s的答复期限") % {"reference": proposal.reference}
        else:
            subject = _("%(reference)s距答复期限还有%(days)d天") % {
                "reference": proposal.reference,
                "days": days_left,
            }
        yield from _to(
            snapshot.responsible(proposal.lead_department_id),
            proposal,
            kind=Kind.PROPOSAL_DUE,
            # Round and due date in the occasion: a second round or an approved extension
            # is reminded again.
            occasion=f"due-r{proposal.round}-{proposal.due_date:%Y%m%d}-{step}d",
            due_at=start_of_day(proposal.due_date - datetime.timedelta(days=step)),
            subject=subject,
            template="reminders/proposal_due",
            context=_context(proposal, due_date=proposal.due_date, days_left=days_left),
        )


def proposal_overdue(snapshot: Snapshot) -> Iterator[Due]:
    """Once an ISO week while past the due date without a reply, to the lead department's
    members (its leaders too)."""
    week = iso_week(snapshot.today)
    monday = snapshot.today - datetime.timedelta(days=snapshot.today.weekday())
    for proposal in snapshot.proposals_awaiting_reply:
        if proposal.due_date >= snapshot.today:
            continue
        first_day = proposal.due_date + datetime.timedelta(days=1)
        yield from _to(
            snapshot.members.get(proposal.lead_department_id, []),
            proposal,
            kind=Kind.PROPOSAL_OVERDUE,
            occasion=f"overdue-r{proposal.round}-{week}",
            due_at=start_of_day(max(monday, first_day)),
            subject=_("%(reference)s已超过答复期限，尚未答复") % {"reference": proposal.reference},
            template="reminders/proposal_overdue",
            context=_context(
                proposal,
                due_date=proposal.due_date,
                days_overdue=(snapshot.today - proposal.due_date).days,
            ),
        )


def proposal_second_round(snapshot: Snapshot) -> Iterator[Due]:
    """When a round after the first opens (二次办理), once, to the lead department's members."""
    for proposal in snapshot.proposals_in_handling:
        if proposal.status != Status.SECOND_ROUND:
            continue
        yield from _to(
            snapshot.members.get(proposal.lead_department_id, []),
            proposal,
            kind=Kind.PROPOSAL_SECOND_ROUND,
            occasion=f"round-{proposal.round}",
            due_at=start_of_day(snapshot.today),
            subject=_("%(reference)s转入二次办理") % {"reference": proposal.reference},
            template="reminders/proposal_second_round",
            context=_context(proposal, due_date=proposal.due_date),
        )


def proposal_rating(snapshot: Snapshot) -> Iterator[Due]:
    """Fifteen days after the reply was sent, a rating not given: the author is reminded
    by e-mail while the personal link still works; otherwise (no address, or the link has
    expired) the general office is told, to arrange a paper rating. The link itself cannot
    be sent again: only its hash is kept."""
    to_office: dict[int, list[Rating]] = {}
    for rating in snapshot.ratings_awaited:
        reply = rating.reply
        proposal = reply.proposal
        participant = rating.author.participant
        email = (participant.email or "").strip()
        due_at = reply.sent_at + datetime.timedelta(days=PROPOSAL_RATING_DAYS)
        if email and rating.expires_at > snapshot.now:
            yield Due(
                kind=Kind.PROPOSAL_RATING,
                object_type="proposals.rating",
                object_id=rating.pk,
                recipient=email,
                occasion=f"rating-r{reply.round}-{PROPOSAL_RATING_DAYS}d",
                due_at=due_at,
                subject=_("请对%(reference)s的答复进行满意度测评")
                % {"reference": proposal.reference},
                link="",
                template="reminders/proposal_rating_author",
                context={
                    "proposal": proposal,
                    "reply": reply,
                    "participant": participant,
                    "expires_at": rating.expires_at,
                },
            )
        else:
            to_office.setdefault(proposal.pk, []).append(rating)
    for ratings in to_office.values():
        reply = ratings[0].reply
        proposal = reply.proposal
        yield from _to(
            snapshot.reviewers,
            proposal,
            kind=Kind.PROPOSAL_RATING,
            occasion=f"rating-r{reply.round}-{PROPOSAL_RATING_DAYS}d",
            due_at=reply.sent_at + datetime.timedelta(days=PROPOSAL_RATING_DAYS),
            subject=_("%(reference)s已答复，尚有提出人未测评，请安排纸质测评")
            % {"reference": proposal.reference},
            template="reminders/proposal_rating_office",
            context=_context(
                proposal,
                reply=reply,
                authors=[rating.author.participant for rating in ratings],
            ),
        )
