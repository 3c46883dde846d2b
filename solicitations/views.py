"""The staff's expert argumentation pages: organise one on a matter, seat the experts,
type in their declarations and signed opinions, complete it. Each change calls one
service; a refusal (``TransitionError``) is shown on the form that asked for it, with what
the user typed kept. An argumentation outside ``rules.visible_argumentations`` is not
found (404); one the user only reads refuses every change (403)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.exceptions import TransitionError
from core.permissions import require_perm
from core.titles import book_title
from matters.rules import internal_matters
from participation.models import Participant

from . import services
from .forms import ArgumentationForm, CompleteForm, DeclarationForm, ExpertAddForm, OpinionForm
from .models import HEADINGS, Argumentation, Expert
from .rules import visible_argumentations


def _argumentation_or_404(
    request, pk: int, permission: str = "solicitations.view_argumentation"
) -> Argumentation:
    """The argumentation, 404 if the user may not see it, 403 without ``permission``."""
    argumentation = get_object_or_404(
        visible_argumentations(request.user).select_related(
            "matter", "draft", "created_by", "completed_by", "step"
        ),
        pk=pk,
    )
    require_perm(request, permission, argumentation)
    return argumentation


def _closed(request, argumentation: Argumentation):
    """A completed argumentation's change pages lead back to it (the service would refuse)."""
    messages.info(request, _("专家论证已经完成，不能再修改。"))
    return redirect("solicitations:argumentation_detail", pk=argumentation.pk)


def _expert_or_404(request, pk: int, expert_pk: int) -> tuple[Argumentation, Expert]:
    argumentation = _argumentation_or_404(request, pk, "solicitations.manage_argumentation")
    expert = get_object_or_404(argumentation.experts.all(), pk=expert_pk)
    expert.argumentation = argumentation
    return argumentation, expert


def _pdf_url(argumentation: Argumentation) -> str:
    """The PDF record's address ('' until its view is there)."""
    try:
        return reverse("solicitations:argumentation_pdf", args=[argumentation.pk])
    except NoReverseMatch:
        return ""


def _experts_available(argumentation: Argumentation):
    """Active registry experts not yet on the panel."""
    return (
        Participant.objects.filter(category=Participant.Category.EXPERT, is_active=True)
        .exclude(pk__in=argumentation.experts.values("participant"))
        .order_by("name", "pk")
    )


def matter_for_create(request, permission: str):
    """The matter a new argumentation or letter is for (``?matter=``): one the user reads
    internally (else 404) and may create it on (else 403)."""
    require_perm(request, "matters.use_staff_pages")
    chosen = request.GET.get("matter", "")
    if not chosen.isdigit():
        raise Http404
    matter = get_object_or_404(internal_matters(request.user), pk=int(chosen))
    require_perm(request, permission, matter)
    return matter


@login_required
def argumentation_create(request):
    matter = matter_for_create(request, "solicitations.create_argumentation")
    drafts = matter.drafts.order_by("-number")
    form = ArgumentationForm(
        request.POST or None,
        drafts=drafts,
        initial={
            "title": _("%(title)s专家论证") % {"title": book_title(matter.title)},
            "form": Argumentation.Form.MEETING,
            "held_on": timezone.localdate(),
            "draft": drafts.first(),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            argumentation = services.argumentation_create(
                matter=matter,
                by=request.user,
                title=data["title"],
                form=data["form"],
                held_on=data["held_on"],
                draft=data["draft"],
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("专家论证已建立，请选择论证专家。"))
            return redirect("solicitations:argumentation_detail", pk=argumentation.pk)
    return render(request, "solicitations/staff/create.html", {"form": form, "matter": matter})


def _detail_context(request, argumentation: Argumentation, complete_form=None) -> dict:
    # One query for the panel, shared by the table, the opinions and completion_problems.
    prefetch_related_objects([argumentation], "experts")
    experts = list(argumentation.experts.all())
    can_manage = request.user.has_perm("solicitations.manage_argumentation", argumentation)
    problems = services.completion_problems(argumentation) if argumentation.is_open else []
    return {
        "argumentation": argumentation,
        "matter": argumentation.matter,
        "experts": experts,
        "heard": [expert for expert in experts if expert.has_opinion],
        "can_manage": can_manage and argumentation.is_open,
        "problems": problems,
        "complete_form": complete_form
        or (CompleteForm() if can_manage and argumentation.is_open and not problems else None),
        "pdf_url": "" if argumentation.is_open else _pdf_url(argumentation),
        "minimum": services.MINIMUM_EXPERTS,
    }


@login_required
@require_safe
def argumentation_detail(request, pk: int):
    argumentation = _argumentation_or_404(request, pk)
    return render(
        request,
        "solicitations/staff/detail.html",
        _detail_context(request, argumentation),
    )


@login_required
def expert_add(request, pk: int):
    argumentation = _argumentation_or_404(request, pk, "solicitations.manage_argumentation")
    if not argumentation.is_open:
        return _closed(request, argumentation)
    available = _experts_available(argumentation)
    form = ExpertAddForm(request.POST or None, participants=available)
    if request.method == "POST" and form.is_valid():
        try:
            expert = services.expert_choose(
                argumentation=argumentation,
                by=request.user,
                participant=form.cleaned_data["participant"],
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s已加入专家组。") % {"name": expert.name})
            return redirect("solicitations:argumentation_detail", pk=argumentation.pk)
    return render(
        request,
        "solicitations/staff/expert_add.html",
        {
            "argumentation": argumentation,
            "form": form,
            "has_choices": available.exists(),
            "here": _("选择论证专家"),
        },
    )


@login_required
def expert_declare(request, pk: int, expert_pk: int):
    argumentation, expert = _expert_or_404(request, pk, expert_pk)
    if not argumentation.is_open:
        return _closed(request, argumentation)
    initial = {}
    if expert.declaration != Expert.Declaration.PENDING:
        initial = {"conflict": "yes" if expert.is_recused else "no", "note": expert.conflict_note}
    form = DeclarationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.expert_declare(
                expert=expert,
                by=request.user,
                conflict=form.cleaned_data["conflict"],
                note=form.cleaned_data["note"],
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已记录%(name)s的回避声明。") % {"name": expert.name})
            return redirect("solicitations:argumentation_detail", pk=argumentation.pk)
    return render(
        request,
        "solicitations/staff/declaration.html",
        {
            "argumentation": argumentation,
            "expert": expert,
            "form": form,
            "here": _("回避声明：%(name)s") % {"name": expert.name},
        },
    )


@login_required
def opinion_enter(request, pk: int, expert_pk: int):
    argumentation, expert = _expert_or_404(request, pk, expert_pk)
    if not argumentation.is_open:
        return _closed(request, argumentation)
    initial = {"signed_on": argumentation.held_on}
    if expert.has_opinion:
        initial = {
            name: getattr(expert, name)
            for name in (*(n for n, _label in HEADINGS), "conclusion", "signed_on")
        }
    form = OpinionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.opinion_enter(
                expert=expert,
                by=request.user,
                opinion=services.Opinion(
                    **{name: data[name] for name, _label in HEADINGS},
                    conclusion=data["conclusion"],
                    signed_on=data["signed_on"],
                ),
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已录入%(name)s的论证意见。") % {"name": expert.name})
            return redirect("solicitations:argumentation_detail", pk=argumentation.pk)
    return render(
        request,
        "solicitations/staff/opinion.html",
        {
            "argumentation": argumentation,
            "expert": expert,
            "form": form,
            "headings": [form[name] for name, _label in HEADINGS],
            "here": _("论证意见：%(name)s") % {"name": expert.name},
        },
    )


@login_required
def argumentation_complete(request, pk: int):
    argumentation = _argumentation_or_404(request, pk, "solicitations.manage_argumentation")
    if request.method != "POST":
        return redirect("solicitations:argumentation_detail", pk=argumentation.pk)
    form = CompleteForm(request.POST)
    if form.is_valid():
        try:
            services.argumentation_complete(
                argumentation=argumentation,
                by=request.user,
                summary=form.cleaned_data["summary"],
                conclusion=form.cleaned_data["conclusion"],
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("专家论证已完成，“专家论证”程序步骤已记入本事项。"))
            return redirect("solicitations:argumentation_detail", pk=argumentation.pk)
    argumentation.refresh_from_db()
    return render(
        request,
        "solicitations/staff/detail.html",
        _detail_context(request, argumentation, complete_form=form),
        status=200,
    )
