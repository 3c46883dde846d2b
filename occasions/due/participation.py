"""Comment periods closing, feedback reports due, activities coming, invitations unanswered."""

import datetime
from collections.abc import Iterator

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from annual_plans.deadlines import SHANGHAI
from core.dates import shown_datetime
from participation.models import Activity, Invitation
from reminders.models import Reminder

from .base import Due, last_day, local_date, portal_url, start_of_day
from .snapshot import Snapshot, feedback_due_on
from .steps import (
    ACTIVITY_STEPS,
    FEEDBACK_OVERDUE_STEP_DAYS,
    INVITATION_REPLY_DAYS,
    PERIOD_CLOSING_DAYS,
)

Kind = Reminder.Kind


def to_staff(snapshot: Snapshot, department_id: int, first: int | None, **fields):
    for user in snapshot.responsible(department_id, first):
        yield Due(recipient=user.email.strip(), user=user, **fields)


def period_closing(snapshot: Snapshot) -> Iterator[Due]:
    """Three days before a comment period's last day, to the lead department's staff."""
    for period in snapshot.closing_periods:
        ends_on = last_day(period.ends_at)
        days_left = (ends_on - snapshot.today).days
        matter = period.matter
        yield from to_staff(
            snapshot,
            matter.department_id,
            period.created_by_id,
            kind=Kind.PERIOD_CLOSING,
            object_type="participation.commentperiod",
            object_id=period.pk,
            # The last day is in the occasion: an extended period is reminded again.
            occasion=f"closing-{ends_on:%Y%m%d}-{PERIOD_CLOSING_DAYS}d",
            due_at=start_of_day(ends_on - datetime.timedelta(days=PERIOD_CLOSING_DAYS)),
            subject=_("征求意见“%(title)s”将于%(date)s截止")
            % {
                "title": period.title,
                "date": shown_datetime(period.ends_at.astimezone(SHANGHAI)),
            },
            link=portal_url(reverse("participation:staff_period", args=[period.pk])),
            template="reminders/period_closing",
            context={
                "period": period,
                "matter": matter,
                "department": matter.department,
                "ends_at": period.ends_at.astimezone(SHANGHAI),
                "days_left": days_left,
            },
        )


def feedback_due(snapshot: Snapshot) -> Iterator[Due]:
    """On the day the feedback report is due, then weekly while it is still not published."""
    for period in snapshot.unreported_periods:
        due_on = feedback_due_on(period)
        days = (snapshot.today - due_on).days // FEEDBACK_OVERDUE_STEP_DAYS
        days *= FEEDBACK_OVERDUE_STEP_DAYS
        if days == 0:
            occasion = f"feedback-{due_on:%Y%m%d}-due"
            subject = _("征求意见“%(title)s”的采纳情况今天应公开") % {"title": period.title}
        else:
            occasion = f"feedback-{due_on:%Y%m%d}-overdue-{days}d"
            subject = _("征求意见“%(title)s”的采纳情况已逾期未公开") % {"title": period.title}
        matter = period.matter
        yield from to_staff(
            snapshot,
            matter.department_id,
            period.created_by_id,
            kind=Kind.FEEDBACK_DUE,
            object_type="participation.commentperiod",
            object_id=period.pk,
            occasion=occasion,
            due_at=start_of_day(due_on + datetime.timedelta(days=days)),
            subject=subject,
            link=portal_url(reverse("participation:feedback_edit", args=[period.pk])),
            template="reminders/feedback_due",
            context={
                "period": period,
                "matter": matter,
                "department": matter.department,
                "ends_at": period.ends_at.astimezone(SHANGHAI),
                "due_on": due_on,
                "due_days": settings.PORTAL_FEEDBACK_DUE_DAYS,
                "days_overdue": (snapshot.today - due_on).days,
            },
        )


def activity_link(activity: Activity) -> str:
    """The public page of the activity, when invitees can open it; otherwise none."""
    if (
        activity.is_public
        and activity.matter.is_published
        and activity.status == Activity.Status.NOTICE_PUBLISHED
    ):
        return portal_url(reverse("participation:activity_detail", args=[activity.pk]))
    return ""


def _to_invitee(invitation: Invitation, **fields) -> Due:
    activity = invitation.activity
    return Due(
        object_type="participation.invitation",
        object_id=invitation.pk,
        recipient=invitation.participant.email.strip(),
        link=activity_link(activity),
        context={
            "invitation": invitation,
            "participant": invitation.participant,
            "activity": activity,
            "starts_at": activity.starts_at.astimezone(SHANGHAI),
            "ends_at": activity.ends_at.astimezone(SHANGHAI),
            "reply_deadline": invitation.reply_deadline.astimezone(SHANGHAI),
            **fields.pop("context", {}),
        },
        **fields,
    )


def activity_upcoming(snapshot: Snapshot) -> Iterator[Due]:
    """Three days and one day before an activity (Shanghai date), to its invitees."""
    for invitation in snapshot.upcoming_invitations:
        activity = invitation.activity
        starts_on = local_date(activity.starts_at)
        days_left = (starts_on - snapshot.today).days
        in_effect = [step for step in ACTIVITY_STEPS if step >= days_left]
        if days_left < 0 or not in_effect:
            continue
        step = min(in_effect)
        if days_left == 0:
            when = _("今天")
        elif days_left == 1:
            when = _("明天")
        else:
            when = _("%(days)d天后") % {"days": days_left}
        yield _to_invitee(
            invitation,
            kind=Kind.ACTIVITY_UPCOMING,
            # The start is in the occasion: a rescheduled activity is reminded again.
            occasion=f"activity-{activity.starts_at.astimezone(SHANGHAI):%Y%m%d%H%M}-{step}d",
            due_at=start_of_day(starts_on - datetime.timedelta(days=step)),
            subject=_("%(when)s举行：%(title)s") % {"when": when, "title": activity.title},
            template="reminders/activity_upcoming",
            context={"days_left": days_left},
        )


def invitation_reply(snapshot: Snapshot) -> Iterator[Due]:
    """Two days before the reply deadline (Shanghai date), to invitees yet to reply."""
    for invitation in snapshot.unanswered_invitations:
        deadline = invitation.reply_deadline.astimezone(SHANGHAI)
        yield _to_invitee(
            invitation,
            kind=Kind.INVITATION_REPLY,
            occasion=f"reply-{deadline:%Y%m%d%H%M}-{INVITATION_REPLY_DAYS}d",
            due_at=start_of_day(deadline.date() - datetime.timedelta(days=INVITATION_REPLY_DAYS)),
            subject=_("请于%(date)s前回复“%(title)s”的邀请")
            % {
                "date": shown_datetime(deadline),
                "title": invitation.activity.title,
            },
            template="reminders/invitation_reply",
            context={"days_left": (deadline.date() - snapshot.today).days},
        )
