"""Running a survey: the invited panel and the responses (read one, void one)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.exceptions import TransitionError
from core.permissions import require_perm
from participation.invite_messages import invite_from_form
from participation.selectors.invitations import participants_to_invite

from ... import services
from ...forms.staff import PanelInviteForm, ReasonForm, ResponseFilterForm
from ...models import PanelMember, Response
from ...questions import question_type
from ...tallies import specs_of, stored_values
from .common import survey_or_404

PANEL_PAGE_SIZE = 50
RESPONSE_PAGE_SIZE = 50


@login_required
def panel(request, pk: int):
    survey = survey_or_404(request, pk)
    if not survey.takes_panel:
        raise Http404
    can_manage = request.user.has_perm("surveys.manage_survey", survey)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    form = (
        PanelInviteForm(
            request.POST if request.method == "POST" else None,
            participants=participants_to_invite(),
        )
        if can_manage
        else None
    )
    done = invite_from_form(
        request,
        form,
        lambda data: services.panel_invite(
            survey=survey,
            by=request.user,
            participants=data["participants"],
            categories=data["categories"],
        ),
        then="surveys:panel",
        pk=survey.pk,
    )
    if done is not None:
        return done
    members = PanelMember.objects.filter(survey=survey).select_related("participant")
    counts = members.aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
    )
    page = Paginator(
        members.order_by("category", "participant__name", "pk"), PANEL_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    state = survey.status
    return render(
        request,
        "surveys/staff/panel.html",
        {
            "survey": survey,
            "page": page,
            "counts": counts,
            "form": form,
            "can_manage": can_manage,
            "can_invite": state not in (survey.Status.CLOSED, survey.Status.CANCELLED)
            and not survey.is_offline_record,
        },
    )


def _answers(survey, response) -> list[tuple]:
    specs = specs_of(survey)
    values = stored_values(response, specs)
    return [
        (
            spec,
            question_type(spec).display(spec, values.get(spec.id))
            if values.get(spec.id) is not None
            else "",
        )
        for spec in specs
    ]


@login_required
@require_safe
def responses(request, pk: int):
    survey = survey_or_404(request, pk)
    can_manage = request.user.has_perm("surveys.manage_survey", survey)
    form = ResponseFilterForm(request.GET or None)
    found = Response.objects.filter(survey=survey).select_related("entered_by", "voided_by")
    if form.value("channel"):
        found = found.filter(channel=form.value("channel"))
    if form.value("suspected") == "1":
        found = found.filter(suspected_duplicate=True)
    elif form.value("suspected") == "void":
        found = found.filter(voided_at__isnull=False)
    page = Paginator(found.order_by("-number"), RESPONSE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("number", None)
    shown = None
    number = request.GET.get("number", "")
    if number.isdigit():
        shown = get_object_or_404(
            Response.objects.select_related("voided_by"), survey=survey, number=int(number)
        )
        shown.answers_shown = _answers(survey, shown)
    return render(
        request,
        "surveys/staff/responses.html",
        {
            "survey": survey,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "shown": shown,
            "can_manage": can_manage,
            "void_form": ReasonForm(label=_("作废原因"), auto_id="id_void_%s")
            if can_manage and shown is not None and not shown.is_void
            else None,
            "filtered": bool(form.value("channel") or form.value("suspected")),
        },
    )


@login_required
@require_POST
def response_void(request, pk: int, number: int):
    survey = survey_or_404(request, pk, "surveys.manage_survey")
    response = get_object_or_404(Response, survey=survey, number=number)
    require_perm(request, "surveys.manage_survey", survey)
    form = ReasonForm(request.POST, label=_("作废原因"), auto_id="id_void_%s")
    back = f"{reverse('surveys:staff_responses', args=[survey.pk])}?number={response.number}"
    if form.is_valid():
        try:
            services.response_void(
                response=response, by=request.user, reason=form.cleaned_data["reason"]
            )
        except TransitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("第%(n)d号答卷已作废。") % {"n": response.number})
        return redirect(back)
    response.answers_shown = _answers(survey, response)
    return render(
        request,
        "surveys/staff/responses.html",
        {
            "survey": survey,
            "form": ResponseFilterForm(),
            "page": None,
            "shown": response,
            "can_manage": True,
            "void_form": form,
        },
    )
