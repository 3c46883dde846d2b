"""The general office's pages: every item with its queues and filters (including the
supervision figures' lists), intake one by one or from the congress's or CPPCC's Excel
list, assignment, and the office's steps on the item page (extensions, paper ratings,
delivery, further rounds, closing, the third-party evaluation)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.exceptions import TransitionError
from core.permissions import require_perm

from .. import imports, rules, selectors, services
from ..forms.office import (
    AssignForm,
    DeliveryForm,
    EvaluationForm,
    ExtensionDecideForm,
    ImportForm,
    OfficeFilterForm,
    PaperRatingForm,
    ProposalForm,
    ReasonForm,
    proposal_initial,
)
from ..models import Extension, Proposal, Rating, Reply
from .department import proposal_or_404, search, step

PAGE_SIZE = 30
Status = Proposal.Status
MANAGE = "proposals.manage_proposals"


def _queues():
    # Labels are built per request so they follow the request's language.
    labels = {
        "registered": _("待交办"),
        "returned": _("退回待重新交办"),
        "extensions": _("待审批延期"),
        "replied": _("待测评"),
    }
    return [(key, labels[key], where) for key, where in selectors.office_queues().items()]


@login_required
@require_safe
def office_list(request):
    require_perm(request, MANAGE)
    form = OfficeFilterForm(request.GET or None, years=selectors.years())
    proposals = rules.visible_proposals(request.user)
    data = {}
    if form.is_bound:
        form.is_valid()  # the valid filters apply even when another is not (it shows why)
        data = form.cleaned_data
    if data.get("year"):
        proposals = proposals.filter(year=data["year"])
    if data.get("kind"):
        proposals = proposals.filter(kind=data["kind"])
    queues = _queues()
    counts = selectors.count_by(proposals, {key: where for key, _label, where in queues})
    figure_key = request.GET.get("figure", "")
    figure = None
    if figure_key:
        figure = selectors.FIGURES.get(figure_key)
        if figure is None:
            messages.warning(
                request, _("未知的统计项“%(key)s”，已忽略。") % {"key": figure_key[:40]}
            )
        else:
            department = data.get("department")
            proposals = selectors.proposals_for_figure(
                proposals, figure_key, department_id=department.pk if department else None
            )
    elif data.get("department"):
        proposals = proposals.filter(lead_department=data["department"])
    if data.get("status"):
        proposals = proposals.filter(status=data["status"])
    proposals = search(proposals, data.get("q"))
    queue = request.GET.get("queue", "")
    where = next((where for key, _label, where in queues if key == queue), None)
    if where is None:
        queue = ""
    else:
        proposals = proposals.filter(pk__in=proposals.filter(where).values("pk"))
    proposals = proposals.select_related("lead_department").order_by("-year", "kind", "number")
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    queue_query = query.copy()
    queue_query.pop("queue", None)
    return render(
        request,
        "proposals/office/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "queue_query": queue_query.urlencode(),
            "queue": queue,
            "queues": [(key, label, counts[f"n_{key}"]) for key, label, _where in queues],
            "figure": figure,
            "figure_department": data.get("department") if figure else None,
            "filtered": bool(request.GET.get("q") or figure or data.get("status")),
        },
    )


def _save(form, user, proposal: Proposal | None = None) -> Proposal | None:
    """Register an item (or correct one) and store its attachment, both or neither: a
    refused attachment undoes the registration. The form gets the error and None comes
    back when either is refused."""
    authors = {
        "lead_author": form.cleaned_data["lead_author"],
        "co_signers": list(form.cleaned_data["co_signers"]),
    }
    try:
        with transaction.atomic():
            if proposal is None:
                proposal = services.proposal_register(by=user, **authors, **form.proposal_fields())
            else:
                services.proposal_edit(proposal, by=user, **authors, **form.proposal_fields())
            upload = form.cleaned_data.get("attachment")
            if upload:
                services.attachment_add(
                    proposal,
                    by=user,
                    upload=upload,
                    title=form.cleaned_data.get("attachment_title", ""),
                )
    except TransitionError as error:
        form.add_error(None, str(error))
    except ValidationError as error:
        form.add_error("attachment", error)
    else:
        return proposal
    return None


@login_required
def proposal_register(request):
    require_perm(request, MANAGE)
    form = ProposalForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        proposal = _save(form, request.user)
        if proposal is not None:
            messages.success(
                request, _("已登记%(reference)s，请交办。") % {"reference": proposal.reference}
            )
            return redirect("proposals:assign", pk=proposal.pk)
    return render(request, "proposals/office/form.html", {"form": form, "proposal": None})


@login_required
def proposal_edit(request, pk: int):
    proposal = proposal_or_404(request, pk, MANAGE)
    if proposal.is_replied:
        messages.info(request, _("已答复的建议提案不能再修改登记信息。"))
        return redirect("proposals:staff_detail", pk=proposal.pk)
    form = ProposalForm(
        request.POST or None, request.FILES or None, initial=proposal_initial(proposal)
    )
    if request.method == "POST" and form.is_valid() and _save(form, request.user, proposal):
        messages.success(request, _("已保存修改。"))
        return redirect("proposals:staff_detail", pk=proposal.pk)
    return render(request, "proposals/office/form.html", {"form": form, "proposal": proposal})


@login_required
def proposal_import(request):
    require_perm(request, MANAGE)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            created = imports.import_proposals(form.cleaned_data["file"], by=request.user)
        except imports.ImportRefused as error:
            form.add_error(None, str(error))
            errors = error.errors
        else:
            messages.success(
                request, _("已导入 %(count)d 件建议提案，请逐件交办。") % {"count": len(created)}
            )
            return redirect(reverse_queue("registered"))
    return render(
        request,
        "proposals/office/import.html",
        {"form": form, "row_errors": errors, "headers": imports.HEADERS},
    )


def reverse_queue(queue: str) -> str:
    return f"{reverse('proposals:office_list')}?queue={queue}"


@login_required
@require_safe
def import_template(request):
    require_perm(request, MANAGE)
    response = HttpResponse(
        imports.template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(True, _("建议提案导入模板.xlsx"))
    return response


@login_required
def proposal_assign(request, pk: int):
    proposal = proposal_or_404(request, pk, MANAGE)
    if proposal.status not in (Status.REGISTERED, Status.RETURNED):
        messages.info(request, _("只有待交办或已退回的建议提案可以交办。"))
        return redirect("proposals:staff_detail", pk=proposal.pk)
    today = timezone.localdate()
    form = AssignForm(
        request.POST or None,
        initial={
            "due_date": services.default_due_date(proposal, today),
            "is_key": proposal.is_key,
            "leading_leader": proposal.leading_leader,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_assign(
                proposal,
                by=request.user,
                department=form.cleaned_data["department"],
                co_departments=form.co_departments(),
                due_date=form.cleaned_data["due_date"],
                is_key=form.cleaned_data["is_key"],
                leading_leader=form.cleaned_data["leading_leader"],
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("已交办%(department)s。") % {"department": form.cleaned_data["department"].name},
            )
            return redirect("proposals:staff_detail", pk=proposal.pk)
    returns = proposal.assignments.filter(outcome="returned").select_related("department")
    return render(
        request,
        "proposals/office/assign.html",
        {
            "proposal": proposal,
            "form": form,
            "returns": returns,
            "sign_for_days": settings.PORTAL_PROPOSAL_SIGN_FOR_WORKDAYS,
        },
    )


@login_required
@require_POST
def extension_decide(request, pk: int):
    extension = get_object_or_404(Extension.objects.select_related("proposal"), pk=pk)
    proposal = proposal_or_404(request, extension.proposal_id, MANAGE)
    form = ExtensionDecideForm(request.POST, prefix="decide")

    def act(data):
        services.extension_decide(
            extension,
            by=request.user,
            approve=data["decision"] == "approve",
            note=data["note"],
        )

    return step(request, proposal, "decide", form, act, _("已审批延期申请。"))


@login_required
@require_POST
def paper_rating(request, pk: int):
    proposal = proposal_or_404(request, pk, MANAGE)
    ratings = Rating.objects.filter(
        reply__proposal=proposal, result="", reply__status=Reply.Status.SENT
    ).select_related("author__participant")
    form = PaperRatingForm(request.POST, prefix="paper", ratings=ratings)

    def act(data):
        rating = ratings.get(pk=data["rating"])
        services.rating_record_paper(
            rating,
            by=request.user,
            result=data["result"],
            comment=data["comment"],
            wants_second_round=data["wants_second_round"],
        )

    return step(request, proposal, "paper", form, act, _("已录入纸质测评结果。"))


@login_required
@require_POST
def reply_delivery(request, pk: int):
    reply = get_object_or_404(Reply.objects.select_related("proposal"), pk=pk)
    proposal = proposal_or_404(request, reply.proposal_id, MANAGE)
    form = DeliveryForm(request.POST, prefix="delivery", reply=reply)

    def act(data):
        services.reply_record_delivery(reply, by=request.user, to=data["to"])

    return step(request, proposal, "delivery", form, act, _("已记录送达。"))


@login_required
@require_POST
def further_round(request, pk: int):
    proposal = proposal_or_404(request, pk, MANAGE)
    form = ReasonForm(request.POST, prefix="further", label=_("再次办理的理由"))

    def act(data):
        services.further_round_allow(proposal, by=request.user, reason=data["reason"])

    return step(
        request, proposal, "further", form, act, _("已决定再次办理，主办单位将收到新的答复期限。")
    )


@login_required
@require_POST
def close(request, pk: int):
    proposal = proposal_or_404(request, pk, MANAGE)
    form = ReasonForm(request.POST, prefix="close", label=_("办结说明"))

    def act(data):
        services.proposal_close(proposal, by=request.user, reason=data["reason"])

    return step(request, proposal, "close", form, act, _("已办结。"))


@login_required
@require_POST
def evaluation(request, pk: int):
    proposal = proposal_or_404(request, pk, MANAGE)
    form = EvaluationForm(request.POST, prefix="evaluation")

    def act(data):
        services.evaluation_record(proposal, by=request.user, **data)

    return step(request, proposal, "evaluation", form, act, _("已录入第三方评估结论。"))
