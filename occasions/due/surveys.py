"""Surveys (问卷调查 · 民意测验): panel members who have not answered, three days and one
day before the survey closes; the organising department when a survey has closed.

The steps are counted to the minute from the closing time, which is in the occasion: a
survey whose end is moved later is reminded again. No personal link is ever in a reminder
(only its hash is kept): the member is told to use the link of the invitation e-mail.
"""

import datetime
from collections.abc import Iterator

from django.utils.translation import gettext as _

from annual_plans.deadlines import SHANGHAI
from core.dates import shown_datetime
from reminders.models import Reminder
from surveys.links import public_path, staff_results_path

from .base import Due, portal_url
from .snapshot import Snapshot
from .steps import SURVEY_CLOSING_STEPS

Kind = Reminder.Kind


def _closing_stamp(survey) -> str:
    return f"{survey.closes_at.astimezone(SHANGHAI):%Y%m%d%H%M}"


def survey_closing(snapshot: Snapshot) -> Iterator[Due]:
    """Three days and one day before closing, to each invited member with an e-mail who has
    not answered yet. A member invited after a step's moment is not reminded of that step
    (the invitation itself has just told them)."""
    for member in snapshot.survey_panel_members:
        survey = member.survey
        left = survey.closes_at - snapshot.now
        in_effect = [step for step in SURVEY_CLOSING_STEPS if datetime.timedelta(days=step) >= left]
        if not in_effect:
            continue
        step = min(in_effect)
        due_at = survey.closes_at - datetime.timedelta(days=step)
        if member.created_at > due_at:
            continue
        closes_at = survey.closes_at.astimezone(SHANGHAI)
        yield Due(
            kind=Kind.SURVEY_CLOSING,
            object_type="surveys.panelmember",
            object_id=member.pk,
            recipient=member.participant.email.strip(),
            occasion=f"closing-{_closing_stamp(survey)}-{step}d",
            due_at=due_at,
            subject=_("“%(title)s”将于%(time)s结束，请您及时填写")
            % {"title": survey.title, "time": shown_datetime(closes_at)},
            link=portal_url(public_path(survey.pk)),
            template="surveys/emails/closing",
            context={
                "survey": survey,
                "participant": member.participant,
                "closes_at": closes_at,
                "days_left": step,
            },
        )


def survey_closed(snapshot: Snapshot) -> Iterator[Due]:
    """Once a survey has closed, to the organising department's staff (its creator first),
    with the number of valid responses and the link to the results."""
    for survey in snapshot.closed_surveys:
        closes_at = survey.closes_at.astimezone(SHANGHAI)
        for user in snapshot.responsible(survey.department_id, survey.created_by_id):
            yield Due(
                kind=Kind.SURVEY_CLOSED,
                object_type="surveys.survey",
                object_id=survey.pk,
                recipient=user.email.strip(),
                user=user,
                occasion=f"closed-{_closing_stamp(survey)}",
                due_at=survey.closes_at,
                subject=_("“%(title)s”已结束，收回有效答卷%(n)d份")
                % {"title": survey.title, "n": survey.response_count},
                link=portal_url(staff_results_path(survey.pk)),
                template="surveys/emails/closed",
                context={
                    "survey": survey,
                    "matter": survey.matter,
                    "department": survey.department,
                    "closes_at": closes_at,
                    "response_count": survey.response_count,
                    "suspected_duplicates": survey.suspected_duplicates,
                },
            )
