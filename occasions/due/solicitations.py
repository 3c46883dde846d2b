"""Letters of solicitation (书面征求意见): main addressees who have not answered, three
days and one day before the end of the deadline day (Beijing time). A body's reminder goes
to its staff and leaders with the answer page; a person's tells them to use the link of
the letter's e-mail (only its hash is kept). The deadline is in the occasion: a letter
whose deadline is moved is reminded again."""

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from core.dates import day_end, shown_date
from reminders.models import Reminder

from .base import Due, portal_url
from .snapshot import Snapshot
from .steps import SOLICITATION_DEADLINE_STEPS

Kind = Reminder.Kind


def solicitation_deadline(snapshot: Snapshot) -> Iterator[Due]:
    for addressee in snapshot.solicitation_addressees:
        solicitation = addressee.solicitation
        ends = day_end(solicitation.deadline)
        left = ends - snapshot.now
        in_effect = [
            step for step in SOLICITATION_DEADLINE_STEPS if datetime.timedelta(days=step) >= left
        ]
        if not in_effect or left <= datetime.timedelta(0):
            continue
        step = min(in_effect)
        due_at = ends - datetime.timedelta(days=step)
        if solicitation.sent_at and solicitation.sent_at > due_at:
            continue  # the letter itself has just told them
        subject = _("请于%(date)s前反馈对“%(title)s”的意见") % {
            "date": shown_date(solicitation.deadline),
            "title": solicitation.title,
        }
        context = {
            "solicitation": solicitation,
            "addressee": addressee,
            "deadline": shown_date(solicitation.deadline),
            "days_left": step,
        }
        occasion = f"deadline-{solicitation.deadline:%Y%m%d}-{step}d"
        if addressee.department_id is not None:
            link = portal_url(reverse("solicitations:answer", args=[solicitation.pk, addressee.pk]))
            for user in snapshot.members.get(addressee.department_id, []):
                yield Due(
                    kind=Kind.SOLICITATION_DEADLINE,
                    object_type="solicitations.addressee",
                    object_id=addressee.pk,
                    recipient=user.email.strip(),
                    user=user,
                    occasion=occasion,
                    due_at=due_at,
                    subject=subject,
                    link=link,
                    template="solicitations/emails/deadline",
                    context={**context, "by_body": True},
                )
        else:
            yield Due(
                kind=Kind.SOLICITATION_DEADLINE,
                object_type="solicitations.addressee",
                object_id=addressee.pk,
                recipient=addressee.email.strip(),
                occasion=occasion,
                due_at=due_at,
                subject=subject,
                link="",
                template="solicitations/emails/deadline",
                context={**context, "by_body": False},
            )
