"""Building a survey: the list, a new survey, the builder (its settings, pages and
questions), publishing and cancelling. Each change calls one service; a refusal
(``TransitionError``) is shown beside the form that asked for it."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Department
from accounts.rules import reads_every_department
from core.exceptions import TransitionError
from core.permissions import require_perm
from matters.models import Matter

from ... import services
from ...forms.staff import QuestionForm, ReasonForm, SectionForm, SurveyFilterForm, SurveyForm
from ...models import Option, Question, Section, Survey
from ...questions import CHOICE_KINDS
from ...rules import visible_surveys
from ...tallies import questions_of
from .common import optional_url, survey_or_404

PAGE_SIZE = 20
Status = Survey.Status

TABS = (
    ("", gettext_lazy("全部")),
    (Status.DRAFT, Status.DRAFT.label),
    (Status.PLANNED, Status.PLANNED.label),
    (Status.OPEN, Status.OPEN.label),
    (Status.CLOSED, Status.CLOSED.label),
    (Status.CANCELLED, Status.CANCELLED.label),
)


def status_filters(now) -> dict[str, Q]:
    """``Survey.status_at`` as filters, one per tab."""
    live = Q(published_at__isnull=False, cancelled_at__isnull=True, is_offline_record=False)
    return {
        "": Q(pk__isnull=False),
        Status.DRAFT: Q(
            published_at__isnull=True, cancelled_at__isnull=True, is_offline_record=False
        ),
        Status.PLANNED: live & Q(opens_at__gt=now),
        Status.OPEN: live & Q(opens_at__lte=now, closes_at__gt=now),
        Status.CLOSED: (live & Q(closes_at__lte=now))
        | Q(is_offline_record=True, cancelled_at__isnull=True),
        Status.CANCELLED: Q(cancelled_at__isnull=False),
    }


def _matters_for_new_survey(user):
    """The matters of the user's department: a matter's survey is its lead department's."""
    if not user.department_id:
        return Matter.objects.none()
    return Matter.objects.filter(department_id=user.department_id).order_by("-year", "-pk")


@login_required
@require_safe
def survey_list(request):
    require_perm(request, "surveys.list_surveys")
    user = request.user
    now = timezone.now()
    visible = visible_surveys(user)
    every = reads_every_department(user)
    form = SurveyFilterForm(
        request.GET or None,
        years=visible.order_by("-year").values_list("year", flat=True).distinct(),
        matters=Matter.objects.filter(pk__in=visible.values("matter")).order_by("-year", "-pk"),
        departments=(
            Department.objects.filter(pk__in=visible.values("department")).order_by("pk")
            if every
            else None
        ),
    )
    base = visible
    for name in ("year", "matter", "department"):
        if form.value(name):
            base = base.filter(**{name: form.value(name)})
    filters = status_filters(now)
    tab = request.GET.get("status", "")
    if tab not in filters:
        tab = ""
    counts = base.aggregate(
        **{f"n_{key or 'all'}": Count("pk", filter=condition) for key, condition in filters.items()}
    )
    surveys = (
        base.filter(filters[tab])
        .select_related("matter", "department")
        .order_by("-opens_at", "-pk")
    )
    page = Paginator(surveys, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    tab_query = query.copy()
    tab_query.pop("status", None)
    form.fields.pop("status")
    return render(
        request,
        "surveys/staff/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "tab_query": tab_query.urlencode(),
            "tab": tab,
            "tabs": [(key, label, counts[f"n_{key or 'all'}"]) for key, label in TABS],
            "filtered": any(form.value(n) for n in ("year", "matter", "department")),
            "now": now,
        },
    )


def _default_times(now):
    start = timezone.localtime(now).replace(minute=0, second=0, microsecond=0)
    start += timezone.timedelta(hours=1)
    return start, start + timezone.timedelta(days=14)


@login_required
def survey_create(request):
    require_perm(request, "surveys.create_survey")
    user = request.user
    matters = _matters_for_new_survey(user)
    initial = {}
    opens, closes = _default_times(timezone.now())
    initial.update(opens_at=opens, closes_at=closes)
    chosen = request.GET.get("matter", "")
    if chosen.isdigit():
        matter = matters.filter(pk=int(chosen)).first()
        if matter is not None:
            initial["matter"] = matter
    form = SurveyForm(request.POST or None, matters=matters, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if user.department is None:
                raise TransitionError(_("您的账号不属于任何单位，不能新建问卷。"))
            survey = services.survey_create(
                by=user,
                department=user.department,
                matter=data["matter"],
                kind=data["kind"],
                title=data["title"],
                introduction=data["introduction"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                audience=data["audience"],
                one_response_per_person=data["one_response_per_person"],
                results_shown=data["results_shown"],
                allow_resume=data["allow_resume"],
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("问卷已创建，请添加题目。"))
            return redirect("surveys:staff_detail", pk=survey.pk)
    return render(
        request, "surveys/staff/create.html", {"form": form, "matter": initial.get("matter")}
    )


# ----------------------------------------------------------------------------- the builder


def _numbered(survey: Survey) -> list[Question]:
    questions = list(questions_of(survey))
    for number, question in enumerate(questions, start=1):
        question.number = number
        question.choice_options = [o for o in question.options.all() if not o.is_row]
        question.row_options = [o for o in question.options.all() if o.is_row]
    numbers = {q.pk: q.number for q in questions}
    for question in questions:
        if question.shown_if_id:
            question.condition_number = numbers.get(question.shown_if.question_id)
    return questions


def condition_choices(questions, before: Question | None = None) -> list[tuple[int, str]]:
    """The options a question may be shown on: those of the single and multiple choice
    questions before it (every one, for a question to be added at the end)."""
    choices = []
    for question in questions:
        if before is not None and question.pk == before.pk:
            break
        if question.kind in CHOICE_KINDS:
            for option in question.choice_options:
                choices.append(
                    (
                        option.pk,
                        _("第%(n)d题：%(label)s") % {"n": question.number, "label": option.label},
                    )
                )
    return choices


def _detail(
    request, survey, *, question_form=None, section_form=None, cancel_form=None, status=200
):
    now = timezone.now()
    can_manage = request.user.has_perm("surveys.manage_survey", survey)
    questions = _numbered(survey)
    sections = list(survey.sections.order_by("position"))
    by_section = defaultdict(list)
    for question in questions:
        by_section[question.section_id].append(question)
    for section in sections:
        section.items = by_section[section.pk]
    editable = can_manage and survey.can_edit_questions()
    if editable and question_form is None:
        question_form = QuestionForm(
            sections=sections,
            conditions=condition_choices(questions),
            initial={"section": sections[-1].pk if sections else None, "required": True},
            auto_id="id_new_%s",
        )
    if editable and section_form is None:
        section_form = SectionForm(auto_id="id_section_%s")
    state = survey.status_at(now)
    if can_manage and cancel_form is None and state in (Status.DRAFT, Status.PLANNED, Status.OPEN):
        cancel_form = ReasonForm(label=_("撤销原因"), auto_id="id_cancel_%s")
    problems = (
        services.publish_problems(survey, now=now)
        if can_manage and state == Status.DRAFT and not survey.is_offline_record
        else []
    )
    return render(
        request,
        "surveys/staff/detail.html",
        {
            "survey": survey,
            "state": state,
            "can_manage": can_manage,
            "editable": editable,
            "sections": sections,
            "question_count": len(questions),
            "question_form": question_form if editable else None,
            "section_form": section_form if editable else None,
            "cancel_form": cancel_form if can_manage else None,
            "problems": problems,
            "is_poll": survey.kind == Survey.Kind.POLL,
            "links": {
                "public": optional_url("surveys:public_detail", survey.pk)
                if survey.published_at and not survey.cancelled_at
                else "",
                "enter": optional_url("surveys:enter_responses", survey.pk) if can_manage else "",
                "results": optional_url("surveys:staff_results", survey.pk),
            },
        },
        status=status,
    )


@login_required
@require_safe
def survey_detail(request, pk: int):
    return _detail(request, survey_or_404(request, pk))


@login_required
def survey_settings(request, pk: int):
    survey = survey_or_404(request, pk, "surveys.manage_survey")
    if survey.cancelled_at or survey.is_offline_record:
        messages.error(request, _("已撤销的问卷或线下调查记录不能修改。"))
        return redirect("surveys:staff_detail", pk=survey.pk)
    form = SurveyForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        changes = {
            name: value
            for name, value in form.cleaned_data.items()
            if value != getattr(survey, name)
        }
        try:
            services.survey_update(survey=survey, by=request.user, **changes)
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("问卷设置已保存。"))
            return redirect("surveys:staff_detail", pk=survey.pk)
    return render(request, "surveys/staff/settings.html", {"survey": survey, "form": form})


# ------------------------------------------------------------------------------- pages


@login_required
@require_POST
def section_add(request, pk: int):
    survey = survey_or_404(request, pk, "surveys.manage_survey")
    form = SectionForm(request.POST, auto_id="id_section_%s")
    if form.is_valid():
        try:
            section = services.section_add(survey=survey, by=request.user, **form.cleaned_data)
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已增加第%(n)d页。") % {"n": section.position})
            return redirect("surveys:staff_detail", pk=survey.pk)
    return _detail(request, survey, section_form=form)


def _section(survey, section_pk) -> Section:
    return get_object_or_404(Section, pk=section_pk, survey=survey)


@login_required
def section_edit(request, pk: int, section_pk: int):
    survey = survey_or_404(request, pk, "surveys.manage_survey")
    section = _section(survey, section_pk)
    form = SectionForm(
        request.POST or None, initial={"title": section.title, "description": section.description}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.section_update(section=section, by=request.user, **form.cleaned_data)
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已保存第%(n)d页。") % {"n": section.position})
            return redirect("surveys:staff_detail", pk=survey.pk)
    return render(
        request,
        "surveys/staff/section_form.html",
        {"survey": survey, "section": section, "form": form},
    )


@login_required
@require_POST
def section_delete(request, pk: int, section_pk: int):
    survey = survey_or_404(request, pk, "surveys.manage_survey")
    section = _section(survey, section_pk)
    try:
        services.section_delete(section=section, by=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已删除该页。"))
    return redirect("surveys:staff_detail", pk=survey.pk)


# ------------------------------------------------------------------------------ questions


def _condition(survey, form) -> Option | None:
    option_id = form.cleaned_data.get("shown_if")
    if not option_id:
        return None
    if option_id not in form.condition_ids:
        form.add_error("shown_if", _("请从列出的选项中选择显示条件。"))
        return None
    return Option.objects.select_related("question__section").get(
        pk=option_id, question__survey=survey
    )


@login_required
@require_POST
def question_add(request, pk: int):
    survey = survey_or_404(request, pk, "surveys.manage_survey")
    questions = _numbered(survey)
    sections = list(survey.sections.order_by("position"))
    form = QuestionForm(
        request.POST,
        sections=sections,
        conditions=condition_choices(questions),
        auto_id="id_new_%s",
    )
    if form.is_valid():
        shown_if = _condition(survey, form)
        if form.is_valid():
            section = next(s for s in sections if s.pk == form.cleaned_data["section"])
            try:
                question = services.question_add(
                    survey=survey, by=request.user, section=section, data=form.to_input(shown_if)
                )
            except TransitionError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("已增加%(kind)s。") % {"kind": question.get_kind_display()}
                )
                return redirect(f"{survey_url(survey)}#question-{question.pk}")
    return _detail(request, survey, question_form=form)


def survey_url(survey) -> str:
    from django.urls import reverse

    return reverse("surveys:staff_detail", args=[survey.pk])


def _question(survey, question_pk) -> Question:
    return get_object_or_404(
        Question.objects.select_related("section", "shown_if"), pk=question_pk, survey=survey
    )


@login_required
def question_edit(request, pk: int, question_pk: int):
    survey = survey_or_404(request, pk, "surveys.manage_survey")
    question = _question(survey, question_pk)
    questions = _numbered(survey)
    number = next((q.number for q in questions if q.pk == question.pk), 0)
    sections = list(survey.sections.order_by("position"))
    form = QuestionForm(
        request.POST or None,
        sections=[question.section],
        conditions=condition_choices(questions, before=question),
        question=question,
    )
    if request.method == "POST" and form.is_valid():
        shown_if = _condition(survey, form)
        if form.is_valid():
            try:
                services.question_update(
                    question=question, by=request.user, data=form.to_input(shown_if)
                )
            except TransitionError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("第%(n)d题已保存。") % {"n": number})
                return redirect(f"{survey_url(survey)}#question-{question.pk}")
    return render(
        request,
        "surveys/staff/question_form.html",
        {
            "survey": survey,
            "question": question,
            "number": number,
            "form": form,
            "sections": sections,
            "editable": survey.can_edit_questions(),
        },
    )


@login_required
@require_POST
def question_delete(request, pk: int, question_pk: int):
    survey = survey_or_404(request, pk, "surveys.manage_survey")
    question = _question(survey, question_pk)
    try:
        services.question_delete(question=question, by=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已删除题目“%(text)s”。") % {"text": question.text})
    return redirect("surveys:staff_detail", pk=survey.pk)


@login_required
@require_POST
def question_move(request, pk: int, question_pk: int):
    survey = survey_or_404(request, pk, "surveys.manage_survey")
    question = _question(survey, question_pk)
    try:
        services.question_move(
            question=question, by=request.user, up=request.POST.get("direction") != "down"
        )
    except TransitionError as error:
        messages.error(request, str(error))
    return redirect(f"{survey_url(survey)}#question-{question.pk}")


# ------------------------------------------------------------------ publishing, cancelling


@login_required
@require_POST
def survey_publish(request, pk: int):
    survey = survey_or_404(request, pk, "surveys.manage_survey")
    try:
        survey = services.survey_publish(survey=survey, by=request.user)
    except TransitionError as error:
        problems = getattr(error, "missing", None)
        messages.error(
            request,
            _("问卷还不能发布，请先处理页面上列出的问题。") if problems else str(error),
        )
    else:
        if survey.status_at() == Status.OPEN:
            messages.success(request, _("问卷已发布，现在开始接受答卷。"))
        else:
            messages.success(request, _("问卷已发布，将于开始时间开放填写。"))
    return redirect("surveys:staff_detail", pk=survey.pk)


@login_required
@require_POST
def survey_cancel(request, pk: int):
    survey = survey_or_404(request, pk, "surveys.manage_survey")
    form = ReasonForm(request.POST, label=_("撤销原因"), auto_id="id_cancel_%s")
    if form.is_valid():
        try:
            services.survey_cancel(
                survey=survey, by=request.user, reason=form.cleaned_data["reason"]
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("问卷已撤销。"))
            return redirect("surveys:staff_detail", pk=survey.pk)
    return _detail(request, survey, cancel_form=form)
