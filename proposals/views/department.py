"""The departments' pages: the list of their items and the item page with each handling
step (sign for or return, contacts, co-departments' opinions, extensions, the reply with
its sign-off and countersignatures, sending). The general office's steps on the same page
are in ``office.py``; every step calls one service and checks its permission first."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Department
from accounts.rules import member_department_id
from audit.personal import downloads_personal_data, shows_contact_details
from core.exceptions import TransitionError
from core.permissions import require_perm
from core.uploads import stored_file_response

from .. import rules, selectors, services
from ..forms.office import (
    DeliveryForm,
    EvaluationForm,
    ExtensionDecideForm,
    PaperRatingForm,
    ReasonForm,
)
from ..forms.staff import (
    ContactForm,
    CoOpinionForm,
    ExtensionRequestForm,
    ReplyForm,
    ReturnForm,
    StaffFilterForm,
    reply_initial,
)
from ..models import (
    Attachment,
    CoDepartment,
    Evaluation,
    Extension,
    Proposal,
    Rating,
    Reply,
)

PAGE_SIZE = 20
DUE_SOON_DAYS = selectors.DUE_SOON_DAYS
Status = Proposal.Status
OPEN = (Status.ASSIGNED, Status.HANDLING, Status.SECOND_ROUND)

TABS = (
    ("", gettext_lazy("全部")),
    ("assigned", gettext_lazy("待签收")),
    ("handling", gettext_lazy("办理中")),
    ("due_soon", gettext_lazy("即将到期")),
    ("overdue", gettext_lazy("已逾期")),
    ("replied", gettext_lazy("已答复")),
    ("co", gettext_lazy("协办")),
)


def due_state(proposal: Proposal, today: datetime.date) -> str:
    """``overdue`` or ``soon`` for an open item, as the list marks it."""
    if proposal.status not in OPEN or proposal.due_date is None:
        return ""
    if proposal.due_date < today:
        return "overdue"
    if proposal.due_date <= today + datetime.timedelta(days=DUE_SOON_DAYS):
        return "soon"
    return ""


def search(queryset, q: str | None):
    if not q:
        return queryset
    q = q.strip().removeprefix("第").removesuffix("号")
    return queryset.filter(Q(number__icontains=q) | Q(title__icontains=q))


@login_required
@require_safe
def proposal_list(request):
    require_perm(request, "proposals.list_proposals")
    user = request.user
    today = timezone.localdate()
    department_id = member_department_id(user)
    visible = rules.visible_proposals(user)
    form = StaffFilterForm(request.GET or None, years=selectors.years())
    filters = selectors.staff_tabs(department_id, today)
    tab = request.GET.get("tab", "")
    if tab not in filters:
        tab = ""
    base = visible
    if form.value("year"):
        base = base.filter(year=form.value("year"))
    if form.value("kind"):
        base = base.filter(kind=form.value("kind"))
    base = search(base, form.value("q"))
    counts = selectors.count_by(base, filters)
    proposals = (
        base.filter(pk__in=base.filter(filters[tab]).values("pk"))
        .select_related("lead_department")
        .prefetch_related("authors__participant")
        .order_by("due_date", "-year", "kind", "number")
    )
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    for proposal in page.object_list:
        proposal.due_state = due_state(proposal, today)
    query = request.GET.copy()
    query.pop("page", None)
    tab_query = query.copy()
    tab_query.pop("tab", None)
    return render(
        request,
        "proposals/staff/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "tab_query": tab_query.urlencode(),
            "tab": tab,
            "tabs": [
                (key, label, counts[f"n_{key or 'all'}"]) for key, label in TABS if key in filters
            ],
            "today": today,
            "soon": today + datetime.timedelta(days=DUE_SOON_DAYS),
            "filtered": bool(form.value("year") or form.value("kind") or form.value("q")),
        },
    )


# ------------------------------------------------------------------------------ item page


def proposal_or_404(request, pk: int, permission: str = "proposals.view_proposal") -> Proposal:
    proposal = get_object_or_404(
        Proposal.objects.select_related("lead_department", "policy_area", "created_by"), pk=pk
    )
    require_perm(request, permission, proposal)
    return proposal


def _current_reply(proposal: Proposal) -> Reply | None:
    return (
        proposal.replies.filter(round=proposal.round)
        .select_related("signed_off_by", "drafted_by", "sent_by")
        .first()
    )


def _own_co_department(user, proposal) -> CoDepartment | None:
    department_id = member_department_id(user)
    if department_id is None:
        return None
    return proposal.co_departments.filter(department_id=department_id).first()


ERROR_ANCHORS = {
    "return": "sign-for-heading",
    "contact": "contact-heading",
    "co_opinion": "co-heading",
    "extension": "extension-heading",
    "decide": "office-heading",
    "paper": "office-heading",
    "delivery": "office-heading",
    "further": "office-heading",
    "close": "office-heading",
    "evaluation": "office-heading",
}


def render_detail(request, proposal: Proposal, *, forms: dict | None = None, status: int = 200):
    """The item page; ``forms`` replaces the empty form of one step with the bound form the
    user sent back, so a refused input is shown again with its errors."""
    forms = forms or {}
    user = request.user
    today = timezone.localdate()
    reply = _current_reply(proposal)
    replies = list(
        proposal.replies.select_related("signed_off_by", "sent_by").prefetch_related(
            "ratings__author__participant"
        )
    )
    co_departments = list(proposal.co_departments.select_related("department", "opinion_by"))
    departments = Department.objects.in_bulk([co.department_id for co in co_departments])
    for item in replies:
        item.countersigned = [
            (co, item.countersignatures.get(str(co.department_id))) for co in co_departments
        ]
    own_co = _own_co_department(user, proposal)
    can_handle = user.has_perm("proposals.handle_proposal", proposal)
    can_sign_for = user.has_perm("proposals.sign_for_proposal", proposal)
    can_manage = user.has_perm("proposals.manage_proposals", proposal)
    pending_extension = proposal.extensions.filter(status=Extension.Status.PENDING).first()
    reply_open = reply is not None and reply.status != Reply.Status.SENT
    can_countersign = (
        reply_open
        and own_co is not None
        and proposal.status in services.IN_HANDLING
        and user.has_perm("proposals.countersign_reply", proposal)
        and str(own_co.department_id) not in reply.countersignatures
    )
    ratings_open = [
        rating
        for rating in Rating.objects.filter(
            reply__proposal=proposal, result="", reply__status=Reply.Status.SENT
        ).select_related("author__participant")
    ]
    latest_sent = next((r for r in reversed(replies) if r.status == Reply.Status.SENT), None)
    context = {
        # The heading of the section whose form came back with errors: the page says so at
        # its top (role=alert) and links there.
        "error_anchor": next((ERROR_ANCHORS[key] for key in forms), None),
        "proposal": proposal,
        "authors": proposal.authors.select_related("participant"),
        "attachments": proposal.attachments.all(),
        "assignments": proposal.assignments.select_related("department", "answered_by"),
        "co_departments": co_departments,
        "co_department_names": {pk: d.name for pk, d in departments.items()},
        "contacts": proposal.contacts.select_related("recorded_by"),
        "extensions": proposal.extensions.select_related("requested_by", "decided_by"),
        "replies": replies,
        "reply": reply,
        "evaluation": Evaluation.objects.filter(proposal=proposal).first(),
        "timeline": selectors.timeline(proposal),
        "today": today,
        "overdue": due_state(proposal, today) == "overdue",
        "shows_contact_data": user.has_perm("proposals.view_proposal", proposal),
        # What the user may do here.
        "can_sign_for": can_sign_for,
        # A refused return is shown again with its reason, even after the window.
        "can_return": can_sign_for
        and proposal.sign_for_deadline is not None
        and (today <= proposal.sign_for_deadline or "return" in forms),
        "can_handle": can_handle,
        "can_request_extension": can_handle and pending_extension is None,
        "can_edit_reply": can_handle and (reply is None or reply.status != Reply.Status.SENT),
        "can_sign_off": reply is not None
        and reply.status == Reply.Status.DRAFT
        and user.has_perm("proposals.sign_off_reply", proposal),
        "can_send": can_handle and reply_open,
        "missing": services.missing_for_sending(proposal, reply) if can_handle else [],
        "own_co": own_co
        if own_co is not None
        and user.has_perm("proposals.give_co_opinion", proposal)
        and proposal.status in (Status.ASSIGNED, *services.IN_HANDLING)
        else None,
        "can_countersign": can_countersign,
        "can_manage": can_manage,
        "pending_extension": pending_extension,
        "ratings_open": ratings_open if can_manage else [],
        "latest_sent": latest_sent,
        # The forms, empty unless one came back with errors.
        "return_form": forms.get("return") or ReturnForm(prefix="return"),
        "contact_form": forms.get("contact")
        or ContactForm(prefix="contact", initial={"contacted_on": today}),
        "co_opinion_form": forms.get("co_opinion")
        or CoOpinionForm(
            prefix="co", initial={"opinion": own_co.opinion if own_co is not None else ""}
        ),
        "extension_form": forms.get("extension") or ExtensionRequestForm(prefix="extension"),
    }
    if can_manage:
        context.update(
            {
                "decide_form": forms.get("decide") or ExtensionDecideForm(prefix="decide"),
                "paper_form": forms.get("paper")
                or PaperRatingForm(prefix="paper", ratings=ratings_open),
                "delivery_form": forms.get("delivery")
                or DeliveryForm(prefix="delivery", reply=latest_sent),
                "further_form": forms.get("further")
                or ReasonForm(prefix="further", label=_("再次办理的理由")),
                "close_form": forms.get("close") or ReasonForm(prefix="close", label=_("办结说明")),
                "evaluation_form": forms.get("evaluation")
                or EvaluationForm(
                    prefix="evaluation",
                    initial={"evaluated_on": today},
                ),
                "can_assign": proposal.status in (Status.REGISTERED, Status.RETURNED),
                "can_edit": not proposal.is_replied,
                "can_close": proposal.status == Status.REPLIED,
                "can_further": proposal.status in (Status.REPLIED, Status.CLOSED),
                "can_evaluate": proposal.is_replied,
            }
        )
    return render(request, "proposals/staff/detail.html", context, status=status)


@shows_contact_details(gettext_lazy("建议提案领衔人"))
@login_required
@require_safe
def proposal_detail(request, pk: int):
    return render_detail(request, proposal_or_404(request, pk))


@downloads_personal_data(gettext_lazy("建议提案附件"))
@login_required
@require_safe
def attachment_download(request, pk: int, attachment_pk: int):
    proposal = proposal_or_404(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, proposal=proposal)
    return stored_file_response(
        attachment.file,
        filename=f"{attachment.title}.{attachment.extension}"
        if not attachment.title.lower().endswith(f".{attachment.extension}")
        else attachment.title,
        content_type=attachment.content_type,
    )


def _done(request, proposal: Proposal, message: str):
    messages.success(request, message)
    return redirect("proposals:staff_detail", pk=proposal.pk)


def _refused(request, proposal: Proposal, error: TransitionError):
    messages.error(request, str(error))
    return redirect("proposals:staff_detail", pk=proposal.pk)


def act(request, proposal: Proposal, action, success: str):
    """One step without input: the service runs, or its refusal is shown on the page."""
    try:
        action()
    except TransitionError as error:
        return _refused(request, proposal, error)
    return _done(request, proposal, success)


def step(request, proposal, key: str, form, action, success: str):
    """One step with input: a valid form runs ``action``; a refusal or an invalid form
    shows the item page again with the input and the Chinese error beside the form."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, proposal, success)
    return render_detail(request, proposal, forms={key: form}, status=200)


@login_required
@require_POST
def sign_for(request, pk: int):
    proposal = proposal_or_404(request, pk, "proposals.sign_for_proposal")
    return act(
        request,
        proposal,
        lambda: services.proposal_sign_for(proposal, by=request.user),
        _("已签收，请及时与提出人沟通联系。"),
    )


@login_required
@require_POST
def return_proposal(request, pk: int):
    proposal = proposal_or_404(request, pk, "proposals.sign_for_proposal")
    form = ReturnForm(request.POST, prefix="return")

    def act(data):
        services.proposal_return(proposal, by=request.user, reason=data["reason"])

    return step(request, proposal, "return", form, act, _("已退回市政府办公厅，等待重新交办。"))


@login_required
@require_POST
def contact_add(request, pk: int):
    proposal = proposal_or_404(request, pk, "proposals.handle_proposal")
    form = ContactForm(request.POST, prefix="contact")

    def act(data):
        services.contact_record(proposal, by=request.user, **data)

    return step(request, proposal, "contact", form, act, _("已记录沟通联系。"))


@login_required
@require_POST
def co_opinion(request, pk: int):
    proposal = proposal_or_404(request, pk, "proposals.give_co_opinion")
    co_department = _own_co_department(request.user, proposal)
    if co_department is None:
        raise Http404
    form = CoOpinionForm(request.POST, prefix="co")

    def act(data):
        services.co_opinion_submit(co_department, by=request.user, opinion=data["opinion"])

    return step(request, proposal, "co_opinion", form, act, _("已向主办单位提交协办意见。"))


@login_required
@require_POST
def extension_request(request, pk: int):
    proposal = proposal_or_404(request, pk, "proposals.handle_proposal")
    form = ExtensionRequestForm(request.POST, prefix="extension")

    def act(data):
        services.extension_request(proposal, by=request.user, **data)

    return step(
        request, proposal, "extension", form, act, _("已提交延期申请，等待市政府办公厅审批。")
    )


@login_required
def reply_edit(request, pk: int):
    proposal = proposal_or_404(request, pk, "proposals.handle_proposal")
    reply = _current_reply(proposal)
    if reply is not None and reply.status == Reply.Status.SENT:
        messages.info(request, _("本轮答复已发出，不能修改。"))
        return redirect("proposals:staff_detail", pk=proposal.pk)
    form = ReplyForm(
        request.POST or None,
        initial=reply_initial(reply) or _reply_defaults(proposal, request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.reply_save(proposal, by=request.user, **form.cleaned_data)
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            if reply is not None and reply.status != Reply.Status.DRAFT:
                messages.warning(
                    request, _("答复已修改保存。修改后须重新经负责人审签和协办单位会签。")
                )
            else:
                messages.success(request, _("答复已保存，请负责人审签。"))
            return redirect("proposals:staff_detail", pk=proposal.pk)
    return render(
        request,
        "proposals/staff/reply_form.html",
        {"proposal": proposal, "reply": reply, "form": form},
    )


def _reply_defaults(proposal: Proposal, user) -> dict:
    # A first draft: the clerk as the contact person, copied to the transferring body and
    # the general office (三方面复).
    return {
        "contact_person": user.display_name,
        "copy_to": "、".join([proposal.transferred_by, str(_("市政府办公厅"))]),
    }


def _reply(request, pk: int, permission: str) -> Reply:
    reply = get_object_or_404(Reply.objects.select_related("proposal__lead_department"), pk=pk)
    require_perm(request, permission, reply.proposal)
    return reply


@login_required
@require_POST
def reply_sign_off(request, pk: int):
    reply = _reply(request, pk, "proposals.sign_off_reply")
    return act(
        request,
        reply.proposal,
        lambda: services.reply_sign_off(reply, by=request.user),
        _("已审签答复。"),
    )


@login_required
@require_POST
def reply_countersign(request, pk: int):
    reply = _reply(request, pk, "proposals.countersign_reply")
    return act(
        request,
        reply.proposal,
        lambda: services.reply_countersign(
            reply, by=request.user, department=request.user.department
        ),
        _("已会签答复。"),
    )


@login_required
@require_POST
def reply_send(request, pk: int):
    reply = _reply(request, pk, "proposals.handle_proposal")
    return act(
        request,
        reply.proposal,
        lambda: services.reply_send(reply, by=request.user),
        _("答复已发出：提出人将收到答复函和满意度测评链接，市政府办公厅已收到答复。"),
    )
