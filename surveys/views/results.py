"""The results of a survey: the staff's page (filters by channel and panel category, every
question's chart and table, a cross-tabulation of two choice questions), the free-text
answers (staff only: people type personal details into them), the public page (counts
only, once the survey says results are public), the Excel exports and the PDF.

The pages read the tallies (``results.survey_results``: two queries whatever the number
of responses); only the text answers and the cross-tabulation read answers."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.content_cache import public_page
from core.permissions import require_perm
from participation.models import Participant

from .. import exports, reports
from ..charts import blocks
from ..models import Answer, Response, Survey, Tally
from ..questions import CHOICE_KINDS
from ..results import crosstab, percent, survey_results, text_answers, valid_responses
from ..rules import public_surveys
from ..tallies import specs_of

PAGE_SIZE = 20
CHANNELS = Response.Channel


def _survey(pk: int) -> Survey:
    return get_object_or_404(Survey.objects.select_related("matter", "department"), pk=pk)


def _url(name: str, *args) -> str:
    """A page of another part of the surveys app, if it exists yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


class Filters:
    """The channels and the panel category of the GET query, checked against the choices."""

    def __init__(self, query, survey: Survey, categories: list[str]):
        self.channels = [c for c in query.getlist("channel") if c in CHANNELS.values]
        category = query.get("category", "")
        self.category = category if category in categories else ""
        labels = dict(Participant.Category.choices)
        self.channel_choices = [
            (value, label, value in self.channels) for value, label in CHANNELS.choices
        ]
        self.category_choices = [(value, labels.get(value, value)) for value in categories]
        self.category_label = labels.get(self.category, "")

    @property
    def active(self) -> bool:
        return bool(self.channels or self.category)


def _categories(survey: Survey) -> list[str]:
    if not survey.takes_panel:
        return []
    found = (
        Tally.objects.filter(survey_id=survey.pk, question_id=0, count__gt=0)
        .exclude(category="")
        .values_list("category", flat=True)
        .distinct()
    )
    order = {value: n for n, value in enumerate(Participant.Category.values)}
    return sorted(set(found), key=lambda value: order.get(value, len(order)))


def _channel_rows(results) -> list[tuple[str, int, object]]:
    return [
        (label, n, percent(n, results.respondents))
        for value, label in CHANNELS.choices
        if (n := results.by_channel.get(value, 0))
    ]


def _row_respondents(survey, first, second, filters) -> dict[int, int]:
    """How many responses chose each option of ``first`` and answered ``second``: the base
    of the row percentages (``crosstab``'s row totals count a multiple choice's picks)."""
    responses = valid_responses(survey, channels=filters.channels, category=filters.category)
    return dict(
        Answer.objects.filter(question_id=first.id, response__in=responses)
        .filter(response__answers__question_id=second.id)
        .values_list("option_id")
        .annotate(n=Count("response_id", distinct=True))
    )


def _crosstab(request, survey, specs, filters):
    """The table of two choice questions chosen by ``x`` (rows) and ``y`` (columns)."""
    choice_specs = [s for s in specs if s.kind in CHOICE_KINDS]
    by_id = {str(s.id): s for s in choice_specs}
    first, second = by_id.get(request.GET.get("x", "")), by_id.get(request.GET.get("y", ""))
    table = None
    error = ""
    if "x" in request.GET or "y" in request.GET:
        if first is None or second is None:
            error = _("请选择两道选择题。")
        elif first.id == second.id:
            error = _("请选择两道不同的题目。")
        else:
            cells, _picks, columns = crosstab(
                survey, first, second, channels=filters.channels, category=filters.category
            )
            rows = _row_respondents(survey, first, second, filters)
            table = {
                "first": first,
                "second": second,
                "columns": [(c, columns.get(c.id, 0)) for c in second.choices],
                "rows": [
                    (
                        c,
                        [
                            (n, percent(n, rows.get(c.id, 0)))
                            for d in second.choices
                            for n in [cells.get((c.id, d.id), 0)]
                        ],
                        rows.get(c.id, 0),
                    )
                    for c in first.choices
                ],
            }
    return {
        "choices": choice_specs,
        "first": first,
        "second": second,
        "table": table,
        "error": error,
    }


@login_required
@require_safe
def staff_results(request, pk: int):
    survey = _survey(pk)
    require_perm(request, "surveys.view_results", survey)
    filters = Filters(request.GET, survey, _categories(survey))
    specs = specs_of(survey)
    results = survey_results(
        survey, channels=filters.channels, category=filters.category, specs=specs
    )
    return render(
        request,
        "surveys/results/staff.html",
        {
            "survey": survey,
            "results": results,
            "blocks": blocks(results),
            "filters": filters,
            "channel_rows": _channel_rows(results),
            "category_rows": [
                (label, results.by_category.get(value, 0))
                for value, label in filters.category_choices
                if results.by_category.get(value)
            ],
            "crosstab": _crosstab(request, survey, specs, filters),
            "can_export": request.user.has_perm("surveys.export_responses", survey),
            "staff_detail_url": _url("surveys:staff_detail", survey.pk),
            "responses_url": _url("surveys:staff_responses", survey.pk),
            "public_url": _url("surveys:public_results", survey.pk)
            if survey.results_public
            else "",
        },
    )


@login_required
@require_safe
def text_answer_list(request, pk: int, question_pk: int):
    survey = _survey(pk)
    require_perm(request, "surveys.view_results", survey)
    spec = next((s for s in specs_of(survey) if s.id == question_pk), None)
    if spec is None:
        raise Http404
    other = next((c for c in spec.choices if c.is_other), None)
    if spec.kind != "text" and other is None:
        raise Http404
    q = request.GET.get("q", "").strip()[:100]
    page = Paginator(text_answers(survey, spec.id, search=q), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = f"q={q}" if q else ""
    return render(
        request,
        "surveys/results/text_answers.html",
        {
            "survey": survey,
            "spec": spec,
            "other": other,
            "page": page,
            "q": q,
            "query": query,
        },
    )


def _public_survey(pk: int) -> Survey:
    return get_object_or_404(public_surveys().select_related("matter", "department"), pk=pk)


def not_yet_public_message(survey: Survey) -> str:
    if survey.results_shown == Survey.ResultsShown.STAFF_ONLY:
        return _("本次调查的结果仅供工作人员研究使用，不向社会公开。")
    if survey.results_shown == Survey.ResultsShown.WHILE_OPEN:
        return _("结果将于调查开始后公布。")
    return _("结果将于调查结束后公布。")


@require_safe
@public_page
def public_results(request, pk: int):
    survey = _public_survey(pk)
    require_perm(request, "surveys.view_public_survey", survey)
    context = {"survey": survey, "detail_url": _url("surveys:public_detail", survey.pk)}
    if request.user.has_perm("surveys.view_public_results", survey):
        results = survey_results(survey)
        context |= {
            "results": results,
            "blocks": blocks(results),
            "channel_rows": _channel_rows(results),
        }
    else:
        context["message"] = not_yet_public_message(survey)
    return render(request, "surveys/results/public.html", context)


def _pdf_response(pdf: bytes, survey: Survey) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True, reports.results_filename(survey)
    )
    return response


@require_safe
@public_page
def public_results_pdf(request, pk: int):
    survey = _public_survey(pk)
    if not request.user.has_perm("surveys.view_public_results", survey):
        raise Http404
    return _pdf_response(reports.results_pdf(survey, public=True), survey)


@login_required
@require_safe
def staff_results_pdf(request, pk: int):
    survey = _survey(pk)
    require_perm(request, "surveys.view_results", survey)
    return _pdf_response(reports.results_pdf(survey, public=False), survey)


@login_required
@require_safe
def responses_xlsx(request, pk: int):
    survey = _survey(pk)
    require_perm(request, "surveys.export_responses", survey)
    return FileResponse(
        exports.responses_file(survey),
        as_attachment=True,
        filename=exports.responses_filename(survey),
        content_type=exports.XLSX,
    )


@login_required
@require_safe
def results_xlsx(request, pk: int):
    survey = _survey(pk)
    require_perm(request, "surveys.view_results", survey)
    response = HttpResponse(exports.results_workbook(survey), content_type=exports.XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, exports.results_filename(survey)
    )
    return response
