"""Everything a scan reads, each part loaded once, through the apps' selectors, and only
if an occasion asks for it."""

import datetime
from collections import defaultdict
from functools import cached_property

from django.conf import settings
from django.db.models import CharField, Value
from django.urls import reverse

from accounts.models import Department, User
from accounts.selectors import departments_filing_catalogs, people_to_remind
from annual_plans.deadlines import SHANGHAI, deadline_for, is_late
from annual_plans.models import AnnualPlan
from annual_plans.selectors import plans_of_year, plans_returned
from matters.models import Matter
from matters.selectors import matters_past_stage_due
from oversight.models import Order
from oversight.selectors import orders_to_remind
from participation.models import CommentPeriod, Invitation
from participation.selectors.due import invitations_to_remind, periods_closing_or_unreported
from proposals.models import Proposal, Rating
from proposals.selectors_due import (
    awaiting_the_office,
    office_queue_counts,
    proposals_to_remind,
    ratings_awaited,
)
from solicitations.models import Addressee
from solicitations.selectors_due import addressees_to_remind
from surveys.models import PanelMember, Survey
from surveys.selectors_due import panel_members_to_remind, surveys_closed

from .base import last_day, local_date, portal_url, start_of_day, to_people
from .steps import (
    ACTIVITY_STEPS,
    INVITATION_REPLY_DAYS,
    OVERSIGHT_DUE_STEPS,
    PERIOD_CLOSING_DAYS,
    PROPOSAL_CONTACT_DAYS,
    PROPOSAL_DUE_STEPS,
    PROPOSAL_RATING_DAYS,
    SOLICITATION_DEADLINE_STEPS,
    SURVEY_CLOSED_HORIZON_DAYS,
    SURVEY_CLOSING_STEPS,
)

# Calendar days that surely hold the sign-for reminder's working days before the window's
# end, a week-long holiday (春节, 国庆) included.
PROPOSAL_SIGN_FOR_HORIZON_DAYS = 14


def feedback_due_on(period: CommentPeriod) -> datetime.date:
    """The day the feedback report is due: ``PORTAL_FEEDBACK_DUE_DAYS`` after the close."""
    return local_date(period.ends_at + datetime.timedelta(days=settings.PORTAL_FEEDBACK_DUE_DAYS))


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
        return {plan.department_id: plan for plan in plans_of_year(self.year)}

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
        return list(plans_returned())

    @cached_property
    def people(self) -> list[User]:
        """Active users with an e-mail who are department staff, leaders or reviewers, each
        annotated with its roles: one query for every recipient list below."""

        return list(people_to_remind())

    def _by_department(self, attribute: str) -> dict[int, list[User]]:
        by_department: dict[int, list[User]] = defaultdict(list)
        for user in self.people:
            if getattr(user, attribute) and user.department_id is not None:
                by_department[user.department_id].append(user)
        return {pk: list(to_people(users)) for pk, users in by_department.items()}

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
        return list(to_people(users))

    def responsible(self, department_id: int, first: int | None = None) -> list[User]:
        """The department's staff; ``first`` (a creator) leads when still one of its members."""
        lead = [u for u in self.members.get(department_id, []) if u.pk == first]
        return list(to_people([*lead, *self.staff.get(department_id, [])]))

    # Participation and procedure: three sources, filtered here and split in Python; a single
    # probe first tells which of them has anything at all, so a quiet day costs one query.

    def _periods(self):
        closing_by = start_of_day(self.today + datetime.timedelta(days=PERIOD_CLOSING_DAYS + 1))
        closed_before = start_of_day(self.today + datetime.timedelta(days=1)) - datetime.timedelta(
            days=settings.PORTAL_FEEDBACK_DUE_DAYS
        )
        return periods_closing_or_unreported(
            now=self.now, closing_by=closing_by, closed_before=closed_before
        )

    def _invitations(self):
        starting_before = start_of_day(
            self.today + datetime.timedelta(days=max(ACTIVITY_STEPS) + 1)
        )
        reply_by = start_of_day(self.today + datetime.timedelta(days=INVITATION_REPLY_DAYS + 1))
        return invitations_to_remind(
            now=self.now, starting_before=starting_before, reply_by=reply_by
        )

    def _matters(self):
        return matters_past_stage_due(today=self.today)

    @cached_property
    def sources(self) -> set[str]:
        """Which of periods, invitations, matters, proposals and ratings have rows to look
        at: one query."""

        def probe(queryset, name):
            return queryset.order_by().values_list(Value(name, CharField()))

        rows = probe(self._periods(), "periods").union(
            probe(self._invitations(), "invitations"),
            probe(self._matters(), "matters"),
            probe(self._proposals(), "proposals"),
            probe(self._ratings(), "ratings"),
            probe(awaiting_the_office(), "office_queues"),
            probe(self._panel_members(), "panel_members"),
            probe(self._surveys_closed(), "surveys_closed"),
            probe(self._solicitation_addressees(), "solicitation_addressees"),
            probe(self._orders(), "orders"),
        )
        return {name for (name,) in rows}

    @cached_property
    def periods(self) -> list[CommentPeriod]:
        if "periods" not in self.sources:
            return []
        return list(self._periods())

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
        return list(self._invitations())

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
            self._matters()
            .filter(department_id__in=list(self.staff))
            .select_related("department")
            .order_by("stage_due_on", "pk")
        )

    # Suggestions and proposals: probed with the sources above; one query each when any.

    @cached_property
    def due_by(self) -> datetime.date:
        return self.today + datetime.timedelta(days=max(PROPOSAL_CONTACT_DAYS, *PROPOSAL_DUE_STEPS))

    def _proposals(self):
        return proposals_to_remind(
            sign_for_by=self.today + datetime.timedelta(days=PROPOSAL_SIGN_FOR_HORIZON_DAYS),
            due_by=self.due_by,
        )

    def _ratings(self):
        return ratings_awaited(sent_before=self.now - datetime.timedelta(days=PROPOSAL_RATING_DAYS))

    @cached_property
    def proposals(self) -> list[Proposal]:
        if "proposals" not in self.sources:
            return []
        return list(self._proposals())

    @cached_property
    def proposals_to_sign_for(self) -> list[Proposal]:
        return [p for p in self.proposals if p.status == Proposal.Status.ASSIGNED]

    @cached_property
    def proposals_awaiting_reply(self) -> list[Proposal]:
        """Not yet replied in the current round (signed for or not), due within the horizon."""
        return [p for p in self.proposals if p.due_date is not None and p.due_date <= self.due_by]

    @cached_property
    def proposals_in_handling(self) -> list[Proposal]:
        return [
            p
            for p in self.proposals
            if p.status in (Proposal.Status.HANDLING, Proposal.Status.SECOND_ROUND)
        ]

    @cached_property
    def ratings_awaited(self) -> list[Rating]:
        if "ratings" not in self.sources:
            return []
        return list(self._ratings())

    @cached_property
    def proposal_queues(self) -> dict[str, int]:
        """Items waiting for the office: returned to assign again, extensions to decide."""
        if "office_queues" not in self.sources:
            return {"returned": 0, "extensions": 0}
        return office_queue_counts()

    # Surveys: probed with the sources above; one query each when any.

    def _panel_members(self):
        return panel_members_to_remind(
            now=self.now,
            closing_by=self.now + datetime.timedelta(days=max(SURVEY_CLOSING_STEPS)),
        )

    def _surveys_closed(self):
        return surveys_closed(
            now=self.now,
            since=self.now - datetime.timedelta(days=SURVEY_CLOSED_HORIZON_DAYS),
        )

    @cached_property
    def survey_panel_members(self) -> list[PanelMember]:
        """Members who have not answered a survey closing within the first step."""
        if "panel_members" not in self.sources:
            return []
        return list(self._panel_members())

    @cached_property
    def closed_surveys(self) -> list[Survey]:
        if "surveys_closed" not in self.sources:
            return []
        return list(self._surveys_closed())

    # Letters of solicitation: probed with the sources above; one query when any.

    def _solicitation_addressees(self):
        return addressees_to_remind(now=self.now, days=max(SOLICITATION_DEADLINE_STEPS))

    @cached_property
    def solicitation_addressees(self) -> list[Addressee]:
        """Main addressees who have not answered a letter due within the first step."""
        if "solicitation_addressees" not in self.sources:
            return []
        return list(self._solicitation_addressees())

    # Supervision orders: probed with the sources above; one query when any.

    def _orders(self):
        return orders_to_remind(
            due_by=self.today + datetime.timedelta(days=max(OVERSIGHT_DUE_STEPS))
        )

    @cached_property
    def oversight_orders(self) -> list[Order]:
        """Orders not yet reported whose due day ends within the first step, or has passed."""
        if "orders" not in self.sources:
            return []
        return list(self._orders())

    def plan_link(self, department: Department, plan: AnnualPlan | None) -> str:
        if plan is None:
            return portal_url(reverse("annual_plans:staff_list"))
        return portal_url(reverse("annual_plans:staff_detail", args=[plan.pk]))
