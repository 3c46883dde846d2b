"""Supervision orders (督办) not yet reported: three days and one day before the end of the
due day (Beijing), then the day after it and weekly, to the department's staff and
leaders. The due date is in the occasion: an order returned with a new date is reminded
again."""

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from core.dates import day_end, shown_date
from reminders.models import Reminder

from .base import Due, portal_url, start_of_day
from .snapshot import Snapshot
from .steps import OVERSIGHT_DUE_STEPS, OVERSIGHT_OVERDUE_STEP_DAYS

Kind = Reminder.Kind


def _step(order, snapshot: Snapshot):
    """(kind, occasion, due_at, days_left) of the step in effect, or None."""
    ends = day_end(order.due_date)
    left = ends - snapshot.now
    stamp = f"{order.due_date:%Y%m%d}"
    if left > datetime.timedelta(0):
        in_effect = [step for step in OVERSIGHT_DUE_STEPS if datetime.timedelta(days=step) >= left]
        if not in_effect:
            return None
        step = min(in_effect)
        due_at = ends - datetime.timedelta(days=step)
        if order.issued_at > due_at:
            return None  # the order itself has just told them
        return Kind.OVERSIGHT_DUE, f"due-{stamp}-{step}d", due_at, step
    first_day = order.due_date + datetime.timedelta(days=1)
    weeks = (snapshot.today - first_day).days // OVERSIGHT_OVERDUE_STEP_DAYS
    days = weeks * OVERSIGHT_OVERDUE_STEP_DAYS
    return (
        Kind.OVERSIGHT_OVERDUE,
        f"overdue-{stamp}-{days}d",
        start_of_day(first_day + datetime.timedelta(days=days)),
        0,
    )


def oversight_due(snapshot: Snapshot) -> Iterator[Due]:
    for order in snapshot.oversight_orders:
        step = _step(order, snapshot)
        if step is None:
            continue
        kind, occasion, due_at, days_left = step
        overdue = kind == Kind.OVERSIGHT_OVERDUE
        subject = (
            _("督办事项已逾期：%(title)s") if overdue else _("督办事项即将到期：%(title)s")
        ) % {"title": order.title}
        for user in snapshot.members.get(order.department_id, []):
            yield Due(
                kind=kind,
                object_type="oversight.order",
                object_id=order.pk,
                recipient=user.email.strip(),
                user=user,
                occasion=occasion,
                due_at=due_at,
                subject=subject,
                link=portal_url(reverse("oversight:detail", args=[order.pk])),
                template="oversight/emails/due",
                context={
                    "order": order,
                    "due": shown_date(order.due_date),
                    "overdue": overdue,
                    "days_left": days_left,
                },
            )
