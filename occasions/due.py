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
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Department, User
from accounts.roles import DEPARTMENT_ROLES, Role
from accounts.selectors import departments_filing_catalogs
from annual_plans.deadlines import SHANGHAI, deadline_for, is_late
from annual_plans.models import AnnualPlan
from core.dates import shown_date, shown_datetime
from matters.models import Matter
from participation.models import Activity, CommentPeriod, Invitation
from reminders.models import Reminder

Kind = Reminder.Kind

# Days before the filing deadline (by Shanghai calendar date) on which a department that has
# not filed is reminded; 0 is the day itself.
PLAN_DEADLINE_STEPS = (30, 14, 7, 3, 1, 0)
# A returned catalog not filed again is reminded once per this many days after the return.
PLAN_RETURNED_STEP_DAYS = 7
# Days before a comment period's last day (Shanghai date) on which its staff are reminded.
PERIOD_CLOSING_DAYS = 3
# After the feedback report's due date, an unpublished report is reminded this often.
FEEDBACK_OVERDUE_STEP_DAYS = 7
# Days before an activity's start (Shanghai date) on which the invitees are reminded.
ACTIVITY_STEPS = (3, 1)
# Days before the reply deadline (Shanghai date) on which a pending invitee is reminded.
INVITATION_REPLY_DAYS = 2
# A matter past its stage's planned end is reminded again this often.
STAGE_OVERDUE_STEP_DAYS = 7
# Activities still to be held (not held, no minutes).
UPCOMING_ACTIVITY = (Activity.Status.PLANNED, Activity.Status.NOTICE_PUBLISHED)


def portal_url(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def start_of_day(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=SHANGHAI)


def local_date(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(SHANGHAI).date()


def last_day(ends_at: datetime.datetime) -> datetime.date:
    """The last calendar day of something ending at ``ends_at`` (a midnight end excluded)."""
    return local_date(ends_at - datetime.timedelta(microseconds=1))


def feedback_due_on(period: CommentPeriod) -> datetime.date:
    """The day the feedback report is due: ``PORTAL_FEEDBACK_DUE_DAYS`` after the close."""
    return local_date(period.ends_at + datetime.timedelta(days=settings.PORTAL_FEEDBACK_DUE_DAYS))


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
    def people(self) -> list[User]:
        """Active users with an e-mail who are department staff, leaders or reviewers, each
        annotated with its roles: one query for every recipient list below."""

        def in_groups(*roles) -> Exists:
            return Exists(
                User.groups.through.objects.filter(
                    user_id=OuterRef("pk"), group__name__in=[role.value for role in roles]
                )
            )

        return list(
            User.objects.filter(is_active=True)
            .exclude(email="")
            .annotate(
                in_department_role=in_groups(*DEPARTMENT_ROLES),
                in_staff_role=in_groups(Role.DEPARTMENT_STAFF),
                in_reviewer_role=in_groups(Role.GENERAL_OFFICE_REVIEWER),
            )
            .filter(
                Q(in_department_role=True, department__is_active=True) | Q(in_reviewer_role=True)
            )
            .order_by("department_id", "username")
        )

    def _by_department(self, attribute: str) -> dict[int, list[User]]:
        by_department: dict[int, list[User]] = defaultdict(list)
        for user in self.people:
            if getattr(user, attribute) and user.department_id is not None:
                by_department[user.department_id].append(user)
        return {pk: list(_to_people(users)) for pk, users in by_department.items()}

    @cached_property
    def members(self) -> dict[int, list[User]]:
        """Active staff and leaders with an e-mail, by department."""
        return self._by_department("in_department_role")

    @cached_property
    def staff(self) -> dict[int, list[User]]:
        """Active department staff (经办人) with an e-mail, by department."""
        return self._by_department("in_staff_role")

    @cached_property
    def reviewers(self) -> list[User]:
        users = sorted(
            (user for user in self.people if user.in_reviewer_role), key=lambda u: u.username
        )
        return list(_to_people(users))

    def responsible(self, department_id: int, first: int | None = None) -> list[User]:
        """The department's staff; ``first`` (a creator) leads when still one of its members."""
        lead = [u for u in self.members.get(department_id, []) if u.pk == first]
        return list(_to_people([*lead, *self.staff.get(department_id, [])]))

    # Participation and procedure: three sources, filtered here and split in Python; a single
    # probe first tells which of them has anything at all, so a quiet day costs one query.

    def _period_filter(self) -> Q:
        closing_horizon = start_of_day(
            self.today + datetime.timedelta(days=PERIOD_CLOSING_DAYS + 1)
        )
        report_due = start_of_day(self.today + datetime.timedelta(days=1)) - datetime.timedelta(
            days=settings.PORTAL_FEEDBACK_DUE_DAYS
        )
        return Q(ends_at__gt=self.now, ends_at__lte=closing_horizon) | Q(
            report_published_at__isnull=True, ends_at__lt=report_due
        )

    def _invitation_filter(self) -> Q:
        starts_horizon = start_of_day(self.today + datetime.timedelta(days=max(ACTIVITY_STEPS) + 1))
        reply_horizon = start_of_day(
            self.today + datetime.timedelta(days=INVITATION_REPLY_DAYS + 1)
        )
        return (
            Q(
                activity__status__in=UPCOMING_ACTIVITY,
                activity__starts_at__gt=self.now,
                participant__is_active=True,
            )
            & ~Q(participant__email="")
            & (
                Q(
                    status__in=[Invitation.Status.ACCEPTED, Invitation.Status.PENDING],
                    activity__starts_at__lt=starts_horizon,
                )
                | Q(
                    status=Invitation.Status.PENDING,
                    reply_deadline__gt=self.now,
                    reply_deadline__lte=reply_horizon,
                )
            )
        )

    def _matter_filter(self) -> Q:
        return Q(stage_due_on__lt=self.today)

    @cached_property
    def sources(self) -> set[str]:
        """Which of periods, invitations and matters have rows to look at: one query."""

        def probe(model, condition, name):
            return model.objects.filter(condition).order_by().values_list(Value(name, CharField()))

        rows = probe(CommentPeriod, self._period_filter(), "periods").union(
            probe(Invitation, self._invitation_filter(), "invitations"),
            probe(Matter, self._matter_filter(), "matters"),
        )
        return {name for (name,) in rows}

    @cached_property
    def periods(self) -> list[CommentPeriod]:
        if "periods" not in self.sources:
            return []
        return list(
            CommentPeriod.objects.filter(self._period_filter())
            .select_related("matter__department")
            .order_by("ends_at", "pk")
        )

    @cached_property
    def closing_periods(self) -> list[CommentPeriod]:
        """Open or upcoming periods whose last day is at most ``PERIOD_CLOSING_DAYS`` away."""
        return [
            period
            for period in self.periods
            if period.ends_at > self.now
            and (last_day(period.ends_at) - self.today).days <= PERIOD_CLOSING_DAYS
        ]

    @cached_property
    def unreported_periods(self) -> list[CommentPeriod]:
        """Closed periods without a published feedback report whose report is due by today."""
        return [
            period
            for period in self.periods
            if period.report_published_at is None
            and period.ends_at <= self.now
            and feedback_due_on(period) <= self.today
        ]

    @cached_property
    def overdue_reports(self) -> list[CommentPeriod]:
        return [p for p in self.unreported_periods if feedback_due_on(p) < self.today]

    @cached_property
    def invitations(self) -> list[Invitation]:
        if "invitations" not in self.sources:
            return []
        return list(
            Invitation.objects.filter(self._invitation_filter())
            .select_related("activity__matter", "participant")
            .order_by("activity__starts_at", "activity_id", "pk")
        )

    @cached_property
    def upcoming_invitations(self) -> list[Invitation]:
        """Accepted or pending invitations to activities starting within the first step."""
        return [
            invitation
            for invitation in self.invitations
            if invitation.status in (Invitation.Status.ACCEPTED, Invitation.Status.PENDING)
            and (local_date(invitation.activity.starts_at) - self.today).days <= max(ACTIVITY_STEPS)
        ]

    @cached_property
    def unanswered_invitations(self) -> list[Invitation]:
        return [
            invitation
            for invitation in self.invitations
            if invitation.status == Invitation.Status.PENDING
            and invitation.reply_deadline > self.now
            and (local_date(invitation.reply_deadline) - self.today).days <= INVITATION_REPLY_DAYS
        ]

    @cached_property
    def overdue_matters(self) -> list[Matter]:
        """Overdue matters of departments with staff to remind: a department without any
        would only cost the scan its matters (at city scale, tens of thousands)."""
        if "matters" not in self.sources or not self.staff:
            return []
        return list(
            Matter.objects.filter(self._matter_filter(), department_id__in=list(self.staff))
            .select_related("department")
            .order_by("stage_due_on", "pk")
        )

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


def _to_staff(snapshot: Snapshot, department_id: int, first: int | None, **fields):
    for user in snapshot.responsible(department_id, first):
        yield Due(recipient=user.email.strip(), user=user, **fields)


def period_closing(snapshot: Snapshot) -> Iterator[Due]:
    """Three days before a comment period's last day, to the lead department's staff."""
    for period in snapshot.closing_periods:
        ends_on = last_day(period.ends_at)
        days_left = (ends_on - snapshot.today).days
        matter = period.matter
        yield from _to_staff(
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
        yield from _to_staff(
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


def stage_overdue(snapshot: Snapshot) -> Iterator[Due]:
    """The day after a stage's planned end, then weekly, to the lead department's staff."""
    for matter in snapshot.overdue_matters:
        due_on = matter.stage_due_on
        first_day = due_on + datetime.timedelta(days=1)
        days = (snapshot.today - first_day).days // STAGE_OVERDUE_STEP_DAYS
        days *= STAGE_OVERDUE_STEP_DAYS
        occasion = f"stage-{matter.stage}-{due_on:%Y%m%d}"
        if days:
            occasion += f"-{days}d"
        yield from _to_staff(
            snapshot,
            matter.department_id,
            None,
            kind=Kind.STAGE_OVERDUE,
            object_type="matters.matter",
            object_id=matter.pk,
            occasion=occasion,
            due_at=start_of_day(first_day + datetime.timedelta(days=days)),
            subject=_("协商事项“%(title)s”的“%(stage)s”阶段已超过计划完成日期")
            % {
                "title": matter.title,
                "stage": matter.stage_label,
            },
            link=portal_url(reverse("matters:staff_detail", args=[matter.pk])),
            template="reminders/stage_overdue",
            context={
                "matter": matter,
                "department": matter.department,
                "stage_label": matter.stage_label,
                "due_on": due_on,
                "days_overdue": (snapshot.today - due_on).days,
            },
        )


def office_digest(snapshot: Snapshot) -> Iterator[Due]:
    """Daily, to the general office: after the filing deadline who has not filed and who
    filed late; at any time the feedback reports past their due date. One e-mail a day."""
    missing = snapshot.unfiled if snapshot.past_deadline else []
    reports = snapshot.overdue_reports
    if not missing and not reports:
        return
    if missing:
        link = portal_url(reverse("admin:annual_plans_annualplan_overview"))
        link += f"?year={snapshot.year}"
        subject = _("%(date)s 政府协商计划目录报送情况：%(missing)d个部门未报送") % {
            "date": shown_date(snapshot.today),
            "missing": len(missing),
        }
    else:
        link = portal_url(reverse("participation:staff_periods"))
        subject = _("%(date)s 征求意见采纳情况：%(count)d项逾期未公开") % {
            "date": shown_date(snapshot.today),
            "count": len(reports),
        }
    overdue_reports = [
        {
            "period": period,
            "department": period.matter.department,
            "due_on": feedback_due_on(period),
            "days_overdue": (snapshot.today - feedback_due_on(period)).days,
            "link": portal_url(reverse("participation:staff_period", args=[period.pk])),
        }
        for period in reports
    ]
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
                "missing": missing,
                "late": snapshot.late if missing else [],
                "overdue_reports": overdue_reports,
            },
        )


OCCASIONS: tuple[Callable[[Snapshot], Iterable[Due]], ...] = (
    plan_deadline,
    plan_overdue,
    plan_returned,
    office_digest,
    period_closing,
    feedback_due,
    activity_upcoming,
    invitation_reply,
    stage_overdue,
)
