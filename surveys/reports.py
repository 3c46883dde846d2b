"""A survey's results as a PDF in the portal's official style (``core.pdf.render_pdf``):
title, organiser, period, respondents by channel, each question's table and chart (inline
SVG), the date it was generated.

Counts only, never an answer's text: the public PDF is what the public results page shows;
the staff's adds the suspected duplicates and the count of text answers per question.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from core.pdf import chinese_date, chinese_datetime, deferred_full_collections, render_pdf

from .charts import blocks
from .exports import block_table, question_kind_label
from .models import Response, Survey
from .results import percent, survey_results


def results_context(survey: Survey, *, public: bool, now: datetime.datetime | None = None) -> dict:
    results = survey_results(survey)
    items = []
    for block in blocks(results, prefix="pdf"):
        heads, rows = block_table(block)
        items.append(
            {
                "block": block,
                "kind": question_kind_label(block.spec.kind),
                "heads": heads,
                "rows": rows,
            }
        )
    return {
        "title": _("“%(title)s”调查结果") % {"title": survey.title},
        "survey": survey,
        "public": public,
        "generated_on": chinese_date(now or timezone.now()),
        "opens_at": chinese_datetime(survey.opens_at),
        "closes_at": chinese_datetime(survey.closes_at),
        "respondents": results.respondents,
        "channels": [
            (label, n, percent(n, results.respondents))
            for value, label in Response.Channel.choices
            if (n := results.by_channel.get(value, 0))
        ],
        "items": items,
    }


def results_pdf(survey: Survey, *, public: bool, now: datetime.datetime | None = None) -> bytes:
    with deferred_full_collections():
        survey = Survey.objects.select_related("matter", "department").get(pk=survey.pk)
        return render_pdf(
            "surveys/pdf/results.html", results_context(survey, public=public, now=now)
        )


def results_filename(survey: Survey) -> str:
    return _("问卷调查结果-%(pk)d.pdf") % {"pk": survey.pk}
