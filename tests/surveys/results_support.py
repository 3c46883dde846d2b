"""A survey with a handful of responses across channels, for the results tests."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from core.content_cache import content_changed
from surveys import services
from surveys.models import Response, Survey
from surveys.tallies import specs_of
from tests.factories import (
    DepartmentFactory,
    ReviewerFactory,
    StaffFactory,
    make_survey,
    survey_answers,
)

PRIVATE_NOTE = "我的电话13912345678"
PRIVATE_TEXT = "住在市南区香港中路88号"


@dataclass
class World:
    survey: Survey
    staff: object
    office: object
    other: object
    specs: list


def submit(survey, data, channel=Response.Channel.ONLINE, entered_by=None, now=None):
    return services.response_submit(
        survey=survey, data=data, channel=channel, browser="", entered_by=entered_by, now=now
    )


def build(**survey_fields) -> World:
    """Five responses: three online (教育 ×2 with a school, 其他 with a private note),
    two on paper (养老). The "其他意见" text of one online response holds an address."""
    department = DepartmentFactory()
    staff = StaffFactory(department=department)
    survey = make_survey(by=staff, department=department, **survey_fields)
    specs = specs_of(survey)
    first = specs[0]
    other = next(c for c in first.choices if c.is_other)
    last_text = specs[-1]
    submit(survey, survey_answers(survey, field=0, amount="100"))
    submit(
        survey, survey_answers(survey, field=0, amount="300", **{last_text.name: [PRIVATE_TEXT]})
    )
    submit(
        survey,
        survey_answers(
            survey,
            amount="500",
            **{first.name: [str(other.id)], f"{first.name}_other": [PRIVATE_NOTE]},
        ),
    )
    for amount in ("1000", "2000"):
        submit(
            survey,
            survey_answers(survey, field=1, amount=amount),
            channel=Response.Channel.PAPER,
            entered_by=staff,
        )
    survey.refresh_from_db()
    return World(
        survey=survey,
        staff=staff,
        office=ReviewerFactory(),
        other=StaffFactory(),
        specs=specs,
    )


def close(survey: Survey) -> Survey:
    """Move the survey's window into the past (as if time had passed)."""
    now = timezone.now()
    Survey.objects.filter(pk=survey.pk).update(
        opens_at=now - datetime.timedelta(days=8), closes_at=now - datetime.timedelta(minutes=1)
    )
    content_changed()  # an update() bypasses the signals that retire cached pages
    survey.refresh_from_db()
    return survey
