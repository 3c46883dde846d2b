"""Catalog filing: before the deadline, after it, and after a return."""

import datetime
from collections.abc import Iterator

from django.utils.translation import gettext as _

from accounts.models import Department
from annual_plans.deadlines import SHANGHAI
from reminders.models import Reminder

from .base import Due, iso_week, start_of_day
from .snapshot import Snapshot
from .steps import PLAN_DEADLINE_STEPS, PLAN_RETURNED_STEP_DAYS

Kind = Reminder.Kind


def _to_department(snapshot: Snapshot, department: Department, **fields) -> Iterator[Due]:
    context = {**fields.pop("context", {}), "department": department}
    fields.setdefault("object_type", "accounts.department")
    fields.setdefault("object_id", department.pk)
    for user in snapshot.members.get(department.pk, []):
        yield Due(recipient=user.email.strip(), user=user, context=context, **fields)


def plan_deadline(snapshot: Snapshot) -> Iterator[Due]:
    """30, 14, 7, 3 and 1 days before the deadline and on the day, until the first filing."""
    if snapshot.past_deadline:
        return
    days_left = (snapshot.deadline_date - snapshot.today).days
    in_effect = [step for step in PLAN_DEADLINE_STEPS if step >= days_left]
    if days_left < 0 or not in_effect:
        return
    step = min(in_effect)
    occasion = "day-of" if step == 0 else f"deadline-{step}d"
    due_at = start_of_day(snapshot.deadline_date - datetime.timedelta(days=step))
    if step == 0:
        subject = _("今天是%(year)d年度政府协商计划目录报送截止日") % {"year": snapshot.year}
    else:
        subject = _("%(year)d年度政府协商计划目录报送还有%(days)d天截止") % {
            "year": snapshot.year,
            "days": days_left,
        }
    for department in snapshot.unfiled:
        plan = snapshot.plans.get(department.pk)
        yield from _to_department(
            snapshot,
            department,
            kind=Kind.PLAN_DEADLINE,
            occasion=occasion,
            due_at=due_at,
            subject=subject,
            link=snapshot.plan_link(department, plan),
            template="reminders/plan_deadline",
            context={
                "plan": plan,
                "year": snapshot.year,
                "deadline": snapshot.deadline.astimezone(SHANGHAI),
                "days_left": days_left,
            },
        )


def plan_overdue(snapshot: Snapshot) -> Iterator[Due]:
    """Once an ISO week after the deadline, to each department that has still not filed."""
    if not snapshot.past_deadline:
        return
    week = iso_week(snapshot.today)
    monday = snapshot.today - datetime.timedelta(days=snapshot.today.weekday())
    due_at = max(start_of_day(monday), snapshot.deadline)
    subject = _("%(year)d年度政府协商计划目录已逾期未报送") % {"year": snapshot.year}
    for department in snapshot.unfiled:
        plan = snapshot.plans.get(department.pk)
        yield from _to_department(
            snapshot,
            department,
            kind=Kind.PLAN_OVERDUE,
            occasion=f"overdue-{week}",
            due_at=due_at,
            subject=subject,
            link=snapshot.plan_link(department, plan),
            template="reminders/plan_overdue",
            context={
                "plan": plan,
                "year": snapshot.year,
                "deadline": snapshot.deadline.astimezone(SHANGHAI),
                "days_overdue": (snapshot.today - snapshot.deadline_date).days,
            },
        )


def plan_returned(snapshot: Snapshot) -> Iterator[Due]:
    """A returned catalog not filed again: 7, 14, 21, ... days after the return."""
    for plan in snapshot.returned_plans:
        waited = snapshot.now - plan.reviewed_at
        steps = waited.days // PLAN_RETURNED_STEP_DAYS
        if steps < 1:
            continue
        days = steps * PLAN_RETURNED_STEP_DAYS
        returned_on = plan.reviewed_at.astimezone(SHANGHAI)
        yield from _to_department(
            snapshot,
            plan.department,
            object_type="annual_plans.annualplan",
            object_id=plan.pk,
            kind=Kind.PLAN_RETURNED,
            # The return time is in the occasion: a second return starts its own count.
            occasion=f"returned-{returned_on:%Y%m%d%H%M%S}-{days}d",
            due_at=plan.reviewed_at + datetime.timedelta(days=days),
            subject=_("退回修改的%(year)d年度政府协商计划目录尚未重新报送") % {"year": plan.year},
            link=snapshot.plan_link(plan.department, plan),
            template="reminders/plan_returned",
            context={"plan": plan, "returned_at": returned_on, "days": days},
        )
