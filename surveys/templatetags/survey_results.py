"""Survey results on other apps' pages: the matter's feedback report (意见采纳情况说明, in
participation) shows a summary of the matter's surveys whose results are public. A higher
app contributes its part through a tag, so participation never imports surveys."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from core.pdf import chinese_date

from ..results import survey_results
from ..rules import public_results_filter, public_surveys

register = template.Library()

TOP_OPTIONS = 3


def matter_summaries(matter) -> list[dict]:
    """Per survey of ``matter`` with public results: title, period, respondents and, per
    choice question, its most chosen options with their counts (counts only)."""
    surveys = (
        public_surveys()
        .filter(public_results_filter(), matter_id=matter.pk)
        .select_related("department")
        .order_by("opens_at", "pk")
    )
    out = []
    for survey in surveys:
        if not survey.results_public:
            continue
        results = survey_results(survey)
        questions = [
            {
                "spec": result.spec,
                "answered": result.answered,
                "top": sorted(
                    (o for o in result.options if o.count),
                    key=lambda o: -o.count,
                )[:TOP_OPTIONS],
            }
            for result in results.questions
            if result.is_choice
        ]
        out.append(
            {
                "survey": survey,
                "opens_on": chinese_date(survey.opens_at),
                "closes_on": chinese_date(survey.closes_at),
                "respondents": results.respondents,
                "questions": questions,
            }
        )
    return out


@register.simple_tag
def matter_survey_results(matter, pdf: bool = False) -> str:
    """The summary as a page section (or, with ``pdf=True``, as a part of the PDF);
    nothing when the matter has no survey with public results."""
    if matter is None:
        return ""
    summaries = matter_summaries(matter)
    if not summaries:
        return ""
    name = "surveys/pdf/_matter_results.html" if pdf else "surveys/results/_matter_results.html"
    return mark_safe(render_to_string(name, {"summaries": summaries}))  # noqa: S308 - a rendered template
