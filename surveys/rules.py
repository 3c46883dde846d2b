"""Who may see and do what with surveys (see docs/ACCESS.md).

A department's members build, publish, cancel and run their own department's surveys:
invite the panel, type in paper and phone answers, void a response, read the results and
export them. The general office does the same for its own surveys (社情民意调查) and reads
every department's. Anyone reads a published survey of a published matter (or a
stand-alone one) and answers it while it is open, if it takes the public; a panel member
answers only through their personal link. Results are public only when the survey says so
and never carry an answer's author.
"""

import rules
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.rules import (
    admin_rules,
    internal_filter,
    is_department_member,
    is_general_office,
    managed_filter,
    owns_department,
    reads_every_department,
)

from .models import Survey


def _public_filter() -> Q:
    return Q(
        published_at__isnull=False,
        cancelled_at__isnull=True,
        is_offline_record=False,
    ) & (Q(matter__isnull=True) | Q(matter__is_published=True))


@rules.predicate
def is_public_survey(user, survey) -> bool:
    if survey is None or survey.published_at is None or survey.cancelled_at is not None:
        return False
    if survey.is_offline_record:
        return False
    return survey.matter_id is None or survey.matter.is_published


@rules.predicate
def has_public_results(user, survey) -> bool:
    return survey is not None and survey.results_public


@rules.predicate
def takes_public_answers(user, survey) -> bool:
    return survey is not None and survey.takes_public and survey.is_open


manages_survey = (is_department_member | is_general_office) & owns_department
can_view_survey = reads_every_department | (is_department_member & owns_department) | manages_survey

rules.add_perm("surveys.list_surveys", is_department_member | reads_every_department)
rules.add_perm("surveys.create_survey", is_department_member | is_general_office)
rules.add_perm("surveys.view_survey", can_view_survey)
# Build, publish, cancel, invite, type in offline answers, void: the state each needs is
# the service's to check (and say).
rules.add_perm("surveys.manage_survey", manages_survey)
rules.add_perm("surveys.view_results", can_view_survey)
rules.add_perm("surveys.export_responses", can_view_survey)
rules.add_perm("surveys.view_public_survey", is_public_survey)
rules.add_perm("surveys.answer_survey", is_public_survey & takes_public_answers)
rules.add_perm("surveys.view_public_results", is_public_survey & has_public_results)
rules.add_perm("surveys.view_figures", reads_every_department)

admin_rules.add_rule("surveys.survey.view", reads_every_department)


# ------------------------------------------------------------------ the same, as querysets


def visible_surveys(user) -> QuerySet[Survey]:
    """``surveys.view_survey`` as a queryset."""
    return Survey.objects.filter(internal_filter(user) | _office_own(user))


def managed_surveys(user) -> QuerySet[Survey]:
    """``surveys.manage_survey`` as a queryset."""
    return Survey.objects.filter(managed_filter(user) | _office_own(user))


def _office_own(user) -> Q:
    if is_general_office(user) and getattr(user, "department_id", None):
        return Q(department_id=user.department_id)
    return Q(pk__in=[])


def public_surveys() -> QuerySet[Survey]:
    """``is_public_survey`` as a queryset: what public pages, search and the API show."""
    return Survey.objects.filter(_public_filter())


def open_public_surveys(now=None) -> QuerySet[Survey]:
    now = now or timezone.now()
    return public_surveys().filter(opens_at__lte=now, closes_at__gt=now)


def public_results_filter(now=None) -> Q:
    """``has_public_results`` as a filter on public surveys."""
    now = now or timezone.now()
    return Q(results_shown=Survey.ResultsShown.WHILE_OPEN, opens_at__lte=now) | Q(
        results_shown=Survey.ResultsShown.AFTER_CLOSE, closes_at__lte=now
    )
