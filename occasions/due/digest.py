"""The general office's daily digest."""

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from annual_plans.deadlines import SHANGHAI
from core.dates import shown_date
from reminders.models import Reminder

from .base import Due, portal_url, start_of_day
from .proposals import office_list_link
from .snapshot import Snapshot, feedback_due_on

Kind = Reminder.Kind


def office_digest(snapshot: Snapshot) -> Iterator[Due]:
    """Daily, to the general office: after the filing deadline who has not filed and who
    filed late; at any time the feedback reports past their due date, and the suggestions
    and proposals waiting for the office (to assign again, an extension to decide). One
    e-mail a day."""
    missing = snapshot.unfiled if snapshot.past_deadline else []
    reports = snapshot.overdue_reports
    queues = snapshot.proposal_queues
    if not missing and not reports and not any(queues.values()):
        return
    if missing:
        link = portal_url(reverse("admin:annual_plans_annualplan_overview"))
        link += f"?year={snapshot.year}"
        subject = _("%(date)s 政府协商计划目录报送情况：%(missing)d个部门未报送") % {
            "date": shown_date(snapshot.today),
            "missing": len(missing),
        }
    elif reports:
        link = portal_url(reverse("participation:staff_periods"))
        subject = _("%(date)s 征求意见采纳情况：%(count)d项逾期未公开") % {
            "date": shown_date(snapshot.today),
            "count": len(reports),
        }
    else:
        link = office_list_link()
        subject = _("%(date)s 建议提案：%(returned)d件待重新交办，%(extensions)d件延期待审批") % {
            "date": shown_date(snapshot.today),
            **queues,
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
                "proposal_queues": queues if any(queues.values()) else None,
                "proposals_link": office_list_link(),
            },
        )
