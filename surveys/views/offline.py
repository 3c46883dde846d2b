"""Staff type in paper questionnaires and phone interviews (纸质问卷, 电话访谈), so one set
of results covers every channel. All pages on one page; after each one a blank form."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.exceptions import TransitionError
from core.permissions import require_perm

from .. import answering, services
from ..models import Response, Survey

OFFLINE_CHANNELS = [
    (Response.Channel.PAPER, gettext_lazy("纸质问卷")),
    (Response.Channel.PHONE, gettext_lazy("电话访谈")),
]


class ChannelForm(forms.Form):
    channel = forms.ChoiceField(
        label=gettext_lazy("渠道"),
        choices=OFFLINE_CHANNELS,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("请选择答卷渠道。")},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def enter_responses(request, pk: int):
    survey = get_object_or_404(Survey.objects.select_related("matter", "department"), pk=pk)
    require_perm(request, "surveys.manage_survey", survey)
    if survey.is_offline_record:
        raise Http404
    pages = answering.pages_of(survey)
    data: dict = {}
    errors: dict = {}
    message = ""
    status = 200
    channel_form = ChannelForm(request.POST or None, initial={"channel": Response.Channel.PAPER})
    if request.method == "POST":
        data = answering.answers_in(request.POST, answering.all_specs(pages))
        if channel_form.is_valid():
            try:
                response = services.response_submit(
                    survey=survey,
                    data=data,
                    channel=channel_form.cleaned_data["channel"],
                    entered_by=request.user,
                )
            except services.AnswersInvalid as error:
                errors = error.errors
                message = str(error)
            except TransitionError as error:
                message = str(error)
                status = 409
            else:
                messages.success(request, _("已录入第%(n)d号答卷。") % {"n": response.number})
                return redirect(f"{request.path}?channel={response.channel}")
    elif request.GET.get("channel") in dict(OFFLINE_CHANNELS):
        channel_form = ChannelForm(initial={"channel": request.GET["channel"]})
    sections = []
    for page in pages:
        forms_ = []
        for spec, question in page.items:
            form = answering.question_form(spec, question, data, errors.get(spec.id, ""))
            form.hidden_by_condition = spec.shown_if is not None
            forms_.append(form)
        sections.append((page, forms_))
    return render(
        request,
        "surveys/public/enter.html",
        {
            "survey": survey,
            "sections": sections,
            "channel_form": channel_form,
            "error_items": [f for _p, fs in sections for f in fs if f.error],
            "form_message": message,
            "status": survey.status,
        },
        status=status,
    )
