"""``{% matter_surveys matter %}``: the surveys on the public matter page.

Each published survey with its status, period and link; an offline record with the figure
it reported; an open poll (民意测验) with its one question, answered right on the matter
page (the form posts to the poll's own page); a closed poll with public results, its counts.
"""

from django import template
from django.urls import reverse
from django.utils import timezone

from .. import answering
from ..models import Survey
from ..results import survey_results

register = template.Library()


def matter_surveys_of(matter):
    return (
        Survey.objects.filter(matter=matter, published_at__isnull=False, cancelled_at__isnull=True)
        .select_related("department")
        .order_by("-opens_at", "-pk")
    )


@register.inclusion_tag("surveys/public/matter_surveys.html", takes_context=True)
def matter_surveys(context, matter):
    now = timezone.now()
    surveys = list(matter_surveys_of(matter)) if matter.is_published else []
    for survey in surveys:
        survey.shown_status = survey.status_at(now)
        survey.poll_questions = None
        survey.poll_results = None
        if survey.is_offline_record or survey.kind != Survey.Kind.POLL:
            continue
        if survey.shown_status == Survey.Status.OPEN and survey.takes_public:
            pages = answering.pages_of(survey)
            if pages:
                survey.poll_questions = answering.page_forms(
                    pages[0], {}, {}, earlier=set(), values={}
                )
                survey.poll_pages = len(pages)
                survey.poll_action = reverse("surveys:public_detail", args=[survey.pk])
        elif survey.results_public_at(now) and survey.shown_status == Survey.Status.CLOSED:
            survey.poll_results = [q for q in survey_results(survey).questions if q.options]
    return {
        "matter": matter,
        "surveys": surveys,
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
