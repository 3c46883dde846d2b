"""Questionnaires and polls recorded before the portal held surveys: a typed procedure
step ("开展网上问卷调查，回收有效问卷1200份。") becomes an offline survey record.

The step stays as it was (it is what was reported, and the matter may have moved on
because of it); the record beside it says it is an offline survey, carries the figure the
note reported, and has no questions or results. Used by the data migration and by the
demo data, which are built the same way, so both can be checked the same way.
"""

import datetime
import re

from core.dates import SHANGHAI

# "回收有效问卷1200份", "有效样本980人", "收回问卷 1,200 份"
_FIGURE = re.compile(r"(\d[\d,，]*)\s*(?:份|人|个样本)")
STEP_KINDS = {"questionnaire": "questionnaire", "opinion_poll": "poll"}


def reported_figure(summary: str) -> int | None:
    """The number of responses a note reported, if it names one."""
    match = _FIGURE.search(summary or "")
    if match is None:
        return None
    return int(re.sub(r"[,，]", "", match.group(1)))


def record_offline_surveys(*, Survey, ProcedureStep, Section=None) -> int:
    """An offline survey record for every questionnaire or poll step without one; returns
    how many were made. Takes the model classes, so a migration can pass its own."""
    made = 0
    steps = (
        ProcedureStep.objects.filter(step_type__in=list(STEP_KINDS), survey__isnull=True)
        .select_related("matter")
        .order_by("pk")
    )
    for step in steps:
        day = step.occurred_on
        opens = datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=SHANGHAI)
        closes = datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=SHANGHAI)
        kind = STEP_KINDS[step.step_type]
        label = "问卷调查" if kind == "questionnaire" else "民意测验"
        Survey.objects.create(
            matter=step.matter,
            department_id=step.matter.department_id,
            kind=kind,
            year=step.matter.year,
            title=f"{label}（线下调查记录）",
            introduction=step.summary,
            opens_at=opens,
            closes_at=closes,
            audience="public",
            results_shown="staff_only",
            published_at=step.created_at,
            is_offline_record=True,
            reported_responses=reported_figure(step.summary),
            step=step,
            created_by_id=step.recorded_by_id,
            created_at=step.created_at,
        )
        made += 1
    return made
