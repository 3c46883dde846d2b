"""Staff pages: department staff run their matters; the general office reads them all.

Every view checks the object permission from ``matters.rules`` and calls a service;
a refusal from the service is shown to the user as it is.
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exceptions import TransitionError
from core.permissions import require_perm

from .. import services
from ..forms import (
    DocumentForm,
    DraftForm,
    MatterForm,
    RemoveDocumentForm,
    ReturnStageForm,
    StaffMatterFilterForm,
    StepForm,
    WithdrawForm,
)
from ..models import Document, DraftVersion, Matter
from ..selectors import (
    filter_matters,
    ledger_entries,
    matter_staff_detail,
    matter_timeline,
    matters_for_staff,
)

PAGE_SIZE = 20


def _matter_for_change(request, pk: int) -> Matter:
    matter = get_object_or_404(Matter, pk=pk)
    require_perm(request, "matters.change_matter", matter)
    return matter


@login_required
def matter_list(request):
    require_perm(request, "matters.use_staff_pages")
    form = StaffMatterFilterForm(request.GET or None)
    matters = filter_matters(matters_for_staff(user=request.user), **form.filters())
    page = Paginator(matters, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "matters/staff_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_add": request.user.has_perm("matters.add_matter"),
        },
    )


@login_required
def matter_create(request):
    require_perm(request, "matters.add_matter")
    department = request.user.department
    form = MatterForm(request.POST or None, department=department)
    if request.method == "POST" and form.is_valid():
        try:
            matter = services.matter_create(
                by=request.user,
                department=department,
                co_departments=form.cleaned_data["co_departments"],
                policy_areas=form.cleaned_data["policy_areas"],
                **form.service_fields(),
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已创建协商事项 %(ref)s。") % {"ref": matter.reference})
            return redirect("matters:staff_detail", pk=matter.pk)
    return render(request, "matters/matter_form.html", {"form": form, "matter": None})


@login_required
def matter_edit(request, pk: int):
    matter = _matter_for_change(request, pk)
    form = MatterForm(request.POST or None, instance=matter, department=matter.department)
    if request.method == "POST" and form.is_valid():
        try:
            services.matter_update(
                matter=matter,
                by=request.user,
                co_departments=form.cleaned_data["co_departments"],
                policy_areas=form.cleaned_data["policy_areas"],
                **form.service_fields(),
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已保存修改。"))
            return redirect("matters:staff_detail", pk=matter.pk)
    return render(request, "matters/matter_form.html", {"form": form, "matter": matter})


@login_required
def matter_detail(request, pk: int):
    try:
        matter = matter_staff_detail(pk=pk)
    except Matter.DoesNotExist:
        raise PermissionDenied from None
    if not request.user.has_perm("matters.view_matter_internal", matter):
        # Other departments read a published matter on its public page, like everyone.
        if matter.is_published and request.user.has_perm("matters.use_staff_pages"):
            return redirect("matters:public_detail", pk=pk)
        raise PermissionDenied
    can_change = request.user.has_perm("matters.change_matter", matter)
    return render(
        request,
        "matters/staff_detail.html",
        {
            "matter": matter,
            "timeline": matter_timeline(matter),
            "blockers": services.advance_blockers(matter) if can_change else [],
            "can_change": can_change,
            "ledger": ledger_entries(matter=matter)[:100],
        },
    )


def _action_page(
    request,
    *,
    matter: Matter,
    form,
    title: str,
    submit: str,
    perform: Callable[[dict], object],
    success: Callable[[object], str],
    file_field: str | None = None,
):
    """A form page for one action on a matter: on a valid POST run ``perform`` (a service
    call) and go back to the matter; a refusal is shown on the form, with the input kept."""
    if request.method == "POST" and form.is_valid():
        try:
            result = perform(form.cleaned_data)
        except TransitionError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            if file_field is None:
                raise
            form.add_error(file_field, error)  # an upload refused for its content
        else:
            messages.success(request, success(result))
            return redirect("matters:staff_detail", pk=matter.pk)
    return render(
        request,
        "matters/action_form.html",
        {
            "form": form,
            "matter": matter,
            "title": title,
            "submit": submit,
            "multipart": file_field is not None,
        },
    )


@login_required
def step_add(request, pk: int):
    matter = _matter_for_change(request, pk)
    return _action_page(
        request,
        matter=matter,
        form=StepForm(request.POST or None),
        title=_("记录程序步骤"),
        submit=_("保存"),
        perform=lambda data: services.step_record(matter=matter, by=request.user, **data),
        success=lambda step: _("已记录程序步骤。"),
    )


@login_required
@require_POST
def matter_advance(request, pk: int):
    matter = _matter_for_change(request, pk)
    try:
        matter = services.matter_advance_stage(matter=matter, by=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已推进至“%(stage)s”阶段。") % {"stage": matter.stage_label})
    return redirect("matters:staff_detail", pk=pk)


@login_required
def matter_return(request, pk: int):
    matter = _matter_for_change(request, pk)
    if not matter.can_go_back():
        messages.error(request, _("事项处于第一个阶段，无法退回。"))
        return redirect("matters:staff_detail", pk=pk)
    return _action_page(
        request,
        matter=matter,
        form=ReturnStageForm(request.POST or None, matter=matter),
        title=_("退回阶段"),
        submit=_("确认退回"),
        perform=lambda data: services.matter_return_stage(matter=matter, by=request.user, **data),
        success=lambda returned: _("已退回至“%(stage)s”阶段。") % {"stage": returned.stage_label},
    )


@login_required
@require_POST
def matter_publish(request, pk: int):
    matter = _matter_for_change(request, pk)
    # Publishing shows the matter to everyone at once: the form asks for an explicit tick,
    # and a POST without it publishes nothing.
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("请先勾选“确认向社会公开”，再点击“向社会公开”。"))
        return redirect("matters:staff_detail", pk=pk)
    try:
        services.matter_publish(matter=matter, by=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("事项已向社会公开。"))
    return redirect("matters:staff_detail", pk=pk)


@login_required
def matter_withdraw(request, pk: int):
    matter = _matter_for_change(request, pk)
    return _action_page(
        request,
        matter=matter,
        form=WithdrawForm(request.POST or None),
        title=_("撤回公开"),
        submit=_("确认撤回"),
        perform=lambda data: services.matter_withdraw(matter=matter, by=request.user, **data),
        success=lambda withdrawn: _("已撤回公开。"),
    )


@login_required
def document_add(request, pk: int):
    matter = _matter_for_change(request, pk)
    return _action_page(
        request,
        matter=matter,
        form=DocumentForm(request.POST or None, request.FILES or None, matter=matter),
        title=_("上传附件"),
        submit=_("上传"),
        perform=lambda data: services.document_attach(
            matter=matter,
            by=request.user,
            upload=data["file"],
            title=data["title"],
            category=data["category"],
            is_public=data["is_public"],
            step=data["step"],
        ),
        success=lambda document: _("已上传附件。"),
        file_field="file",
    )


@login_required
def document_remove(request, pk: int):
    document = get_object_or_404(Document.objects.select_related("matter"), pk=pk)
    matter = document.matter
    require_perm(request, "matters.change_matter", matter)
    return _action_page(
        request,
        matter=matter,
        form=RemoveDocumentForm(request.POST or None),
        title=_("撤下附件“%(title)s”") % {"title": document.title},
        submit=_("确认撤下"),
        perform=lambda data: services.document_remove(document=document, by=request.user, **data),
        success=lambda removed: _("已撤下附件。"),
    )


@login_required
def draft_add(request, pk: int):
    matter = _matter_for_change(request, pk)
    latest = matter.drafts.order_by("-number").first()
    initial = {"title": latest.title, "text": latest.text} if latest else {"title": matter.title}
    return _action_page(
        request,
        matter=matter,
        form=DraftForm(request.POST or None, initial=initial),
        title=_("新增草案版本"),
        submit=_("保存"),
        perform=lambda data: services.draft_add(matter=matter, by=request.user, **data),
        success=lambda draft: _("已保存草案第%(number)d稿。") % {"number": draft.number},
    )


@login_required
@require_POST
def draft_publish(request, pk: int):
    draft = get_object_or_404(DraftVersion.objects.select_related("matter"), pk=pk)
    require_perm(request, "matters.change_matter", draft.matter)
    try:
        services.draft_publish(draft=draft, by=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("草案第%(number)d稿已公开。") % {"number": draft.number})
    return redirect("matters:staff_detail", pk=draft.matter_id)
