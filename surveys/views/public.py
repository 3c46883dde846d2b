"""The public's survey pages: the list, a survey with its form, the thanks page, the
personal link of an invited participant and the "save and continue" link."""

from django import forms
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import Department

from .. import answering, rules, services
from ..models import Response, ResumeDraft, Survey
from . import answer

PAGE_SIZE = 20


def _private(response):
    # The address carries a personal token: no cache, no referrer, no search engine.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# ----------------------------------------------------------------------------- list


class SurveyFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("状态"),
        required=False,
        choices=[
            ("", gettext_lazy("全部")),
            (Survey.Status.OPEN, gettext_lazy("进行中")),
            (Survey.Status.PLANNED, gettext_lazy("未开始")),
            (Survey.Status.CLOSED, gettext_lazy("已结束")),
        ],
    )
    department = forms.ModelChoiceField(
        label=gettext_lazy("组织单位"),
        required=False,
        queryset=Department.objects.none(),
        empty_label=gettext_lazy("全部"),
    )
    year = forms.TypedChoiceField(
        label=gettext_lazy("年度"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, surveys, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(
            pk__in=surveys.values("department_id")
        ).order_by("pk")
        years = sorted(set(surveys.values_list("year", flat=True)), reverse=True)
        self.fields["year"].choices = [("", _("全部"))] + [(y, str(y)) for y in years]

    def cleaned(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_safe
def public_list(request):
    now = timezone.now()
    surveys = rules.public_surveys()
    form = SurveyFilterForm(request.GET or None, surveys=surveys)
    filters = form.cleaned()
    status = filters.get("status")
    if status == Survey.Status.OPEN:
        surveys = surveys.filter(opens_at__lte=now, closes_at__gt=now)
    elif status == Survey.Status.PLANNED:
        surveys = surveys.filter(opens_at__gt=now)
    elif status == Survey.Status.CLOSED:
        surveys = surveys.filter(closes_at__lte=now)
    if filters.get("department"):
        surveys = surveys.filter(department=filters["department"])
    if filters.get("year"):
        surveys = surveys.filter(year=filters["year"])
    surveys = (
        surveys.select_related("matter", "department")
        .annotate(
            rank=Case(
                When(opens_at__lte=now, closes_at__gt=now, then=Value(0)),
                When(opens_at__gt=now, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "closes_at", "-pk")
    )
    page = Paginator(surveys, PAGE_SIZE).get_page(request.GET.get("page"))
    for survey in page.object_list:
        survey.shown_status = survey.status_at(now)
    return render(
        request,
        "surveys/public/list.html",
        {
            "page": page,
            "form": form,
            "query": _query_without_page(request),
            "is_filtered": bool(filters),
        },
    )


# --------------------------------------------------------------------------- survey


def _public_survey(pk: int) -> Survey:
    return get_object_or_404(rules.public_surveys().select_related("matter", "department"), pk=pk)


def _closed_page(
    request, survey: Survey, *, template="surveys/public/detail.html", status=200, extra=None
):
    context = {
        "survey": survey,
        "matter": survey.matter,
        "status": survey.status,
        "can_answer": False,
        "results_url": answer.results_url(survey),
        **(extra or {}),
    }
    return render(request, template, context, status=status)


def _thanks(request, survey):
    def reply(response):
        number = response.number if response is not None else survey.received + 1
        request.session[answer.THANKS_SESSION_KEY] = {"survey": survey.pk, "number": number}
        return redirect("surveys:thanks", pk=survey.pk)

    return reply


@require_http_methods(["GET", "HEAD", "POST"])
def public_detail(request, pk: int):
    survey = _public_survey(pk)
    if not (survey.is_open and survey.takes_public):
        if request.method == "POST":
            return _closed_page(
                request, survey, status=409, extra={"form_message": _closed_reason(survey)}
            )
        return _closed_page(request, survey)
    if _answered_here(request, survey):
        # Said before the form is filled in, not after (the service refuses it anyway).
        status = 409 if request.method == "POST" else 200
        return _closed_page(request, survey, status=status, extra={"answered_here": True})
    flow = answer.Flow(
        survey=survey, scope="public", action=reverse("surveys:public_detail", args=[pk])
    )
    pages = answering.pages_of(survey)
    if not pages:
        return _closed_page(request, survey)
    if request.method == "POST":
        return answer.post(request, flow, pages, on_submitted=_thanks(request, survey))
    return answer.show(request, flow, pages)


def _answered_here(request, survey: Survey) -> bool:
    mark = answering.browser_mark(request)
    return bool(
        mark
        and survey.one_response_per_person
        and Response.objects.filter(
            survey=survey, browser_hash=services.browser_hash(mark), voided_at__isnull=True
        ).exists()
    )


def _closed_reason(survey: Survey) -> str:
    status = survey.status
    if status == Survey.Status.PLANNED:
        return _("问卷尚未开始。")
    if status == Survey.Status.OPEN:
        return _("本问卷只面向受邀参与主体，请使用邀请邮件中的个人链接。")
    return _("问卷调查已结束，不再接受答卷。")


@require_safe
def thanks(request, pk: int):
    survey = _public_survey(pk)
    shown = request.session.pop(answer.THANKS_SESSION_KEY, None) or {}
    number = shown.get("number") if shown.get("survey") == survey.pk else None
    return render(
        request,
        "surveys/public/thanks.html",
        {"survey": survey, "number": number, "results_url": answer.results_url(survey)},
    )


# -------------------------------------------------------------------- personal links


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def panel_answer(request, token: str):
    member = services.panel_member_by_token(token)
    if member is None:
        raise Http404
    survey = member.survey
    template = "surveys/public/panel.html"
    answered = Response.objects.filter(panel_member=member).first()
    if answered is not None:
        return _private(
            _closed_page(
                request,
                survey,
                template=template,
                status=409,
                extra={"member": member, "answered": answered},
            )
        )
    if survey.status != Survey.Status.OPEN or not survey.takes_panel:
        return _private(_closed_page(request, survey, template=template, extra={"member": member}))
    flow = answer.Flow(
        survey=survey,
        scope=f"panel-{member.pk}",
        action=reverse("surveys:panel_answer", args=[token]),
        channel=Response.Channel.PANEL,
        panel_member=member,
        template=template,
    )
    pages = answering.pages_of(survey)
    if not pages:
        return _private(_closed_page(request, survey, template=template, extra={"member": member}))

    def submitted(response):
        return render(
            request,
            "surveys/public/thanks.html",
            {
                "survey": survey,
                "number": response.number if response else None,
                "results_url": answer.results_url(survey),
                "panel": True,
            },
        )

    if request.method == "POST":
        reply = answer.post(request, flow, pages, on_submitted=submitted)
    else:
        if flow.key not in request.session:
            draft = ResumeDraft.objects.filter(panel_member=member).order_by("-updated_at").first()
            if draft is not None:
                answer.hold(request, flow, {"data": draft.data, "page": 0, "resume": ""})
        reply = answer.show(request, flow, pages)
    return _private(reply)


@never_cache
@require_safe
def resume(request, token: str):
    draft = services.resume_find(token)
    if draft is None or draft.panel_member_id is not None:
        raise Http404
    survey = draft.survey
    if not rules.public_surveys().filter(pk=survey.pk).exists():
        raise Http404
    if survey.status != Survey.Status.OPEN:
        return _private(
            _closed_page(request, survey, extra={"form_message": _closed_reason(survey)})
        )
    flow = answer.Flow(survey=survey, scope="public", action="")
    answer.hold(request, flow, {"data": draft.data, "page": 0, "resume": token})
    return _private(redirect("surveys:public_detail", pk=survey.pk))
