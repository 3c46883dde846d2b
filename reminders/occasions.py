"""When a reminder is due, declared in one place.

Each occasion is a function of a ``Snapshot`` (everything a scan reads, loaded in a small,
constant number of queries) that yields ``Due`` reminders. An occasion string names the
step (``deadline-30d``, ``day-of``, ``overdue-2026-W15``, ``digest-2026-04-02``), so the
outbox's unique key lets each step go out once per recipient however often the scan runs.

Steps are "the step in effect": if the scan did not run on the day a step began (a worker
was down), the next scan still records that step, not nothing.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Department, User
from accounts.roles import DEPARTMENT_ROLES, Role
from accounts.selectors import departments_filing_catalogs
from annual_plans.deadlines import SHANGHAI, deadline_for, is_late
from annual_plans.models import AnnualPlan

from .models import Reminder

Kind = Reminder.Kind

# Days before the filing deadline (by Shanghai calendar date) on which a department that has
# not filed is reminded; 0 is the day itself.
PLAN_DEADLINE_STEPS = (30, 14, 7, 3, 1, 0)
# A returned catalog not filed again is reminded once per this many days after the return.
PLAN_RETURNED_STEP_DAYS = 7


def portal_url(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def start_of_day(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=SHANGHAI)


def iso_week(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class Due:
    """One reminder that is due now, not yet rendered (most turn out to be recorded already)."""

    kind: str
    object_type: str
    object_id: int
    recipient: str
    occasion: str
    due_at: datetime.datetime
    subject: str
    link: str
    template: str
    context: dict = field(default_factory=dict)
    user: User | None = None

    @property
    def key(self) -> tuple:
        return (self.kind, self.object_type, self.object_id, self.recipient, self.occasion)


def _to_people(users: Iterable[User]) -> Iterator[User]:
    """Users with an address, each address once."""
    seen = set()
    for user in users:
        address = user.email.strip().lower()
        if address and address not in seen:
            seen.add(address)
            yield user


class Snapshot:
    """What a scan reads, each part loaded once with one query and only if an occasion asks."""

    def __init__(self, now: datetime.datetime):
        self.now = now
        self.today = now.astimezone(SHANGHAI).date()
        self.year = self.today.year

    @cached_property
    def deadline(self) -> datetime.datetime:
        return deadline_for(self.year)

    @cached_property
    def deadline_date(self) -> datetime.date:
        return self.deadline.astimezone(SHANGHAI).date()

    @cached_property
    def past_deadline(self) -> bool:
        return is_late(self.now, self.deadline)

    @cached_property
    def departments(self) -> list[Department]:
        return list(departments_filing_catalogs().order_by("sort_order", "code"))

    @cached_property
    def plans(self) -> dict[int, AnnualPlan]:
        return {plan.department_id: plan for plan in AnnualPlan.objects.filter(year=self.year)}

    @cached_property
    def unfiled(self) -> list[Department]:
        """Departments with no catalog for the year, or one never submitted."""
        return [
            department
            for department in self.departments
            if getattr(self.plans.get(department.pk), "first_submitted_at", None) is None
        ]

    @cached_property
    def late(self) -> list[tuple[Department, AnnualPlan]]:
        return [
            (department, self.plans[department.pk])
            for department in self.departments
            if department.pk in self.plans and self.plans[department.pk].is_late
        ]

    @cached_property
    def returned_plans(self) -> list[AnnualPlan]:
        return list(
            AnnualPlan.objects.filter(
                status=AnnualPlan.Status.RETURNED,
                reviewed_at__isnull=False,
                department__is_active=True,
            )
            .select_related("department")
            .order_by("department__sort_order", "department__code", "year")
        )

    @cached_property
    def members(self) -> dict[int, list[User]]:
        """Active staff and leaders with an e-mail, by department: one query for all."""
        by_department: dict[int, list[User]] = defaultdict(list)
        users = (
            User.objects.filter(
                is_active=True,
                department__is_active=True,
                groups__name__in=[role.value for role in DEPARTMENT_ROLES],
            )
            .exclude(email="")
            .distinct()
            .order_by("department_id", "username")
        )
        for user in users:
            by_department[user.department_id].append(user)
        return {pk: list(_to_people(users)) for pk, users in by_department.items()}

    @cached_property
    def reviewers(self) -> list[User]:
        users = (
            User.objects.filter(is_active=True, groups__name=Role.GENERAL_OFFICE_REVIEWER.value)
            .exclude(email="")
            .distinct()
            .order_by("username")
        )
        return list(_to_people(users))

    def plan_link(self, department: Department, plan: AnnualPlan | None) -> str:
        if plan is None:
            return portal_url(reverse("annual_plans:staff_list"))
        return portal_url(reverse("annual_plans:staff_detail", args=[plan.pk]))


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


def office_digest(snapshot: Snapshot) -> Iterator[Due]:
    """Daily after the deadline, to the general office: who has not filed, who filed late."""
    if not snapshot.past_deadline or not snapshot.unfiled:
        return
    link = portal_url(reverse("admin:annual_plans_annualplan_overview")) + f"?year={snapshot.year}"
    subject = _("%(date)s 政府协商计划目录报送情况：%(missing)d个部门未报送") % {
        "date": f"{snapshot.today:%Y-%m-%d}",
        "missing": len(snapshot.unfiled),
    }
    for user in snapshot.reviewers:
        yield Due(
            kind=Kind.OFFICE_DIGEST,
            object_type="annual_plans.filing_year",
            object_id=snapshot.year,
            recipient=user.email.strip(),
            user=user,
            occasion=f"digest-{snapshot.today:%Y-%m-%d}",
            due_at=start_of_day(snapshot.today),
            subject=subject,
            link=link,
            template="reminders/office_digest",
            context={
                "year": snapshot.year,
                "today": snapshot.today,
                "deadline": snapshot.deadline.astimezone(SHANGHAI),
                "missing": snapshot.unfiled,
                "late": snapshot.late,
            },
        )


OCCASIONS: tuple[Callable[[Snapshot], Iterable[Due]], ...] = (
    plan_deadline,
    plan_overdue,
    plan_returned,
    office_digest,
)
