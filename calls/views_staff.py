"""The staff pages of calls: the list, a new call, a call's page with its register of
proposals, editing and publishing it, inviting registry participants, typing in a proposal
that came on paper, screening a proposal (and downloading its files) and publishing the
result."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.rules import is_general_office
from annual_plans.models import PlanItem
from audit.personal import downloads_personal_data, shows_contact_details
from core.exceptions import TransitionError
from core.permissions import require_perm
from core.uploads import stored_file_response
from matters.models import Matter
from participation.forms.invitations import RegistryInviteForm
from participation.invite_messages import invite_from_form
from participation.selectors.invitations import participants_to_invite

from . import services
from .forms import CallForm, PaperSubmissionForm, ResultsForm, ScreenForm
from .models import Call, CallInvitee, Submission, SubmissionFile
from .rules import visible_calls, visible_submissions
from .selectors import outcome_counts, with_counts

PAGE_SIZE = 50


def _call_or_404(request, pk: int, permission: str = "calls.view_call") -> Call:
    call = get_object_or_404(visible_calls(request.user).select_related("department"), pk=pk)
    require_perm(request, permission, call)
    return call


@login_required
@require_safe
def staff_list(request):
    require_perm(request, "calls.list_calls")
    calls = with_counts(visible_calls(request.user).select_related("department")).order_by(
        "-starts_at", "-pk"
    )
    page = Paginator(calls, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    for call in page.object_list:
        call.status_now = call.status(now)
    return render(
        request,
        "calls/staff_list.html",
        {"page": page, "can_create": request.user.has_perm("calls.create_call")},
    )


def _creating_department(user):
    """A department member's calls are their department's; the office's, its own."""
    return user.department


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def call_create(request):
    require_perm(request, "calls.create_call")
    department = _creating_department(request.user)
    if department is None:
        messages.error(request, _("您的账户没有所属单位，不能发起公开征集。"))
        return redirect("calls:staff_list")
    today = timezone.localdate()
    form = CallForm(request.POST or None, initial={"year": today.year + 1})
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_create(by=request.user, department=department, **form.cleaned_data)
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("公开征集已保存，核对无误后请发布。"))
            return redirect("calls:staff_detail", pk=call.pk)
    return render(
        request,
        "calls/call_form.html",
        {"form": form, "call": None},
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def call_edit(request, pk: int):
    call = _call_or_404(request, pk, "calls.manage_call")
    form = CallForm(request.POST or None, instance=Call.objects.get(pk=call.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.call_update(call=call, by=request.user, **form.cleaned_data)
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("公开征集已修改。"))
            return redirect("calls:staff_detail", pk=call.pk)
    return render(
        request,
        "calls/call_form.html",
        {"form": form, "call": call},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def call_publish(request, pk: int):
    call = _call_or_404(request, pk, "calls.manage_call")
    try:
        services.call_publish(call=call, by=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("公开征集已发布，将在开始时间起接受建议。"))
    return redirect("calls:staff_detail", pk=pk)


@shows_contact_details(_lazy("公开征集建议人"))
@login_required
@require_safe
def staff_detail(request, pk: int):
    call = get_object_or_404(visible_calls(request.user).select_related("department"), pk=pk)
    submissions = (
        visible_submissions(request.user, call)
        .select_related(
            "policy_area", "plan_item__plan__department", "matter", "merged_into", "transferred_to"
        )
        .annotate(file_count=Count("files"))
    )
    outcome = request.GET.get("outcome", "")
    if outcome in Submission.Outcome.values:
        submissions = submissions.filter(outcome=outcome)
    else:
        outcome = ""
    page = Paginator(submissions.order_by("submitted_at", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    can_manage = request.user.has_perm("calls.manage_call", call)
    return render(
        request,
        "calls/staff_detail.html",
        {
            "call": call,
            "status": call.status(),
            "page": page,
            "outcome": outcome,
            "outcomes": Submission.Outcome.choices,
            "counts": outcome_counts(call) if can_manage else None,
            "query": urlencode({"outcome": outcome}) if outcome else "",
            "can_manage": can_manage,
            "results_form": (
                ResultsForm()
                if can_manage and call.results_published_at is None and call.status() == "screening"
                else None
            ),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def paper_entry(request, pk: int):
    call = _call_or_404(request, pk, "calls.manage_call")
    form = PaperSubmissionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            submission = services.submission_enter(call=call, by=request.user, **form.cleaned_data)
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("已录入，回执编号 %(receipt)s。") % {"receipt": submission.receipt},
            )
            return redirect("calls:staff_detail", pk=pk)
    return render(
        request,
        "calls/paper_entry.html",
        {"call": call, "form": form},
        status=422 if form.errors else 200,
    )


INVITEE_PAGE_SIZE = 100


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def invitees(request, pk: int):
    """The registry participants invited to propose by a personal link, and the form that
    invites more (by person or by category)."""
    call = _call_or_404(request, pk)
    can_manage = request.user.has_perm("calls.manage_call", call)
    if request.method == "POST" and not can_manage:
        require_perm(request, "calls.manage_call", call)
    can_invite = call.ends_at > timezone.now() and call.results_published_at is None
    form = None
    if can_manage and can_invite:
        form = RegistryInviteForm(
            request.POST if request.method == "POST" else None,
            participants=participants_to_invite(),
        )
    done = invite_from_form(
        request,
        form,
        lambda data: services.call_invite(
            call=call,
            by=request.user,
            participants=data["participants"],
            categories=data["categories"],
        ),
        then="calls:invitees",
        pk=call.pk,
    )
    if done is not None:
        return done
    if request.method == "POST" and form is None:
        messages.error(request, _("征集已经截止，不能再邀请。"))
        return redirect("calls:invitees", pk=call.pk)
    invited = CallInvitee.objects.filter(call=call)
    counts = invited.aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        proposed=Count("pk", filter=Q(submissions__isnull=False), distinct=True),
    )
    page = Paginator(
        invited.select_related("participant")
        .annotate(proposals=Count("submissions"))
        .order_by("category", "participant__name", "pk"),
        INVITEE_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "calls/invitees.html",
        {
            "call": call,
            "page": page,
            "counts": counts,
            "form": form,
            "can_manage": can_manage,
            "can_invite": can_invite,
        },
        status=422 if form is not None and form.errors else 200,
    )


def _targets(call: Call, user):
    """The catalog items and matters of the call's year a proposal may go into: the
    office chooses among every department's, a department among its own."""
    items = PlanItem.objects.filter(plan__year=call.year).select_related("plan__department")
    matters = Matter.objects.filter(year=call.year)
    if not is_general_office(user):
        items = items.filter(plan__department_id=user.department_id)
        matters = matters.filter(department_id=user.department_id)
    items = items.order_by("plan__department__sort_order", "plan__department__code", "order")
    return items, matters.order_by("department_id", "reference")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def _submission_or_404(request, pk: int) -> Submission:
    submission = get_object_or_404(
        Submission.objects.select_related(
            "call__department", "policy_area", "invitee__participant"
        ),
        pk=pk,
    )
    if not visible_submissions(request.user, submission.call).filter(pk=pk).exists():
        raise Http404
    require_perm(request, "calls.screen_submission", submission)
    return submission


@downloads_personal_data(_lazy("公开征集建议附件"))
@login_required
@require_safe
def submission_file(request, pk: int, file_pk: int):
    """A file sent with a proposal, for whoever may screen it (never public)."""
    submission = _submission_or_404(request, pk)
    attachment = get_object_or_404(SubmissionFile, pk=file_pk, submission=submission)
    return stored_file_response(
        attachment.file, filename=attachment.download_name, content_type=attachment.content_type
    )


@shows_contact_details(_lazy("公开征集建议人"))
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def submission_screen(request, pk: int):
    submission = _submission_or_404(request, pk)
    call = submission.call
    items, matters = _targets(call, request.user)
    form = ScreenForm(
        request.POST or None,
        submission=submission,
        items=items,
        matters=matters,
        initial={
            "outcome": submission.outcome if submission.outcome != "pending" else None,
            "plan_item": submission.plan_item_id,
            "matter": submission.matter_id,
            "merged_into": submission.merged_into_id,
            "transferred_to": submission.transferred_to_id,
            "note": submission.outcome_note,
        },
    )
    if not request.user.has_perm("calls.manage_call", call):
        # The department a proposal was passed to takes it or not; it does not pass it on.
        form.fields["outcome"].choices = [
            choice
            for choice in form.fields["outcome"].choices
            if choice[0] in (Submission.Outcome.ADOPTED, Submission.Outcome.REJECTED)
        ]
        for name in ("merged_into", "transferred_to"):
            del form.fields[name]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.submission_screen(
                submission=submission,
                by=request.user,
                outcome=data["outcome"],
                note=data["note"],
                plan_item=data.get("plan_item"),
                matter=data.get("matter"),
                merged_into=data.get("merged_into"),
                transferred_to=data.get("transferred_to"),
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("遴选结果已保存。"))
            return redirect("calls:staff_detail", pk=call.pk)
    return render(
        request,
        "calls/screen.html",
        {
            "call": call,
            "submission": submission,
            "files": submission.files.all(),
            "form": form,
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def results_publish(request, pk: int):
    call = _call_or_404(request, pk, "calls.manage_call")
    form = ResultsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写遴选结果说明。"))
        return redirect("calls:staff_detail", pk=pk)
    try:
        services.results_publish(call=call, by=request.user, summary=form.cleaned_data["summary"])
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("遴选结果已公布。"))
    return redirect("calls:staff_detail", pk=pk)
