"""Department staff draft, sign off and file their annual plan catalog in the browser."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exceptions import TransitionError
from core.permissions import require_perm
from matters.selectors import ledger_entries_for_object

from .. import services
from ..deadlines import deadline_for
from ..forms import ItemFormSet, PlanHeaderForm, PlanStartForm, ReasonForm, item_initial
from ..item_matters import amendment_matter_effects
from ..models import Amendment, AnnualPlan
from ..selectors import plans_for_department, plans_with_items


def _plan(request, pk: int, permission: str) -> AnnualPlan:
    plan = get_object_or_404(plans_with_items(), pk=pk)
    require_perm(request, permission, plan)
    return plan


@login_required
def plan_list(request):
    require_perm(request, "annual_plans.start_plan")
    department = request.user.department
    plans = list(plans_for_department(department=department))
    return render(
        request,
        "annual_plans/staff_list.html",
        {
            "plans": plans,
            "start_form": PlanStartForm(),
            "deadlines": {plan.year: deadline_for(plan.year) for plan in plans[:3]},
        },
    )


@login_required
@require_POST
def plan_start(request):
    require_perm(request, "annual_plans.start_plan")
    form = PlanStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择有效的年度。"))
        return redirect("annual_plans:staff_list")
    try:
        plan = services.plan_start(
            department=request.user.department,
            year=form.cleaned_data["year"],
            copy_previous=form.cleaned_data["copy_previous"],
            by=request.user,
        )
    except TransitionError as error:
        messages.error(request, str(error))
        return redirect("annual_plans:staff_list")
    messages.success(request, _("已创建%(year)d年度计划目录草稿。") % {"year": plan.year})
    return redirect("annual_plans:edit", pk=plan.pk)


@login_required
def plan_detail(request, pk: int):
    plan = get_object_or_404(plans_with_items(), pk=pk)
    if not (
        request.user.has_perm("annual_plans.submit_plan", plan)
        or request.user.has_perm("annual_plans.review_plan")
    ):
        raise PermissionDenied
    amendments = plan.amendments.prefetch_related("items").select_related(
        "requested_by", "decided_by"
    )
    return render(
        request,
        "annual_plans/staff_detail.html",
        {
            "plan": plan,
            "deadline": deadline_for(plan.year),
            "can_edit": request.user.has_perm("annual_plans.edit_plan", plan),
            "can_sign_off": request.user.has_perm("annual_plans.sign_off_plan", plan)
            and plan.can_sign_off(),
            "can_submit": request.user.has_perm("annual_plans.submit_plan", plan)
            and plan.can_submit(),
            "can_amend": request.user.has_perm("annual_plans.request_amendment", plan)
            and plan.can_request_amendment(),
            "can_carry_out": request.user.has_perm("annual_plans.carry_out_plan", plan),
            "amendments": amendments,
            "versions": plan.versions.select_related("accepted_by"),
            "ledger": ledger_entries_for_object(object_type="annualplan", object_id=plan.pk)[:50],
        },
    )


@login_required
def plan_edit(request, pk: int):
    plan = _plan(request, pk, "annual_plans.edit_plan")
    items = list(plan.items.all())
    header = PlanHeaderForm(request.POST or None, instance=plan)
    formset = ItemFormSet(
        request.POST or None, initial=item_initial(items), year=plan.year, prefix="items"
    )
    if request.method == "POST" and header.is_valid() and formset.is_valid():
        try:
            services.plan_save(
                plan=plan,
                by=request.user,
                items=[] if header.cleaned_data["is_empty"] else formset.item_data(),
                contact_person=header.cleaned_data["contact_person"],
                contact_phone=header.cleaned_data["contact_phone"],
                is_empty=header.cleaned_data["is_empty"],
                empty_reason=header.cleaned_data["empty_reason"],
            )
        except TransitionError as error:
            header.add_error(None, str(error))
        else:
            messages.success(request, _("目录已保存为草稿。"))
            if "continue" in request.POST:
                return redirect("annual_plans:edit", pk=plan.pk)
            return redirect("annual_plans:staff_detail", pk=plan.pk)
    comments = [item.review_comment for item in items]
    return render(
        request,
        "annual_plans/plan_form.html",
        {
            "plan": plan,
            "header": header,
            "formset": formset,
            "rows": [
                (form, comments[index] if index < len(comments) else "")
                for index, form in enumerate(formset.forms)
            ],
        },
    )


@login_required
@require_POST
def plan_sign_off(request, pk: int):
    plan = _plan(request, pk, "annual_plans.sign_off_plan")
    try:
        services.plan_sign_off(plan=plan, by=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已审签，经办人可以报送。"))
    return redirect("annual_plans:staff_detail", pk=pk)


@login_required
@require_POST
def plan_submit(request, pk: int):
    plan = _plan(request, pk, "annual_plans.submit_plan")
    try:
        plan = services.plan_submit(plan=plan, by=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        if plan.is_late:
            messages.warning(
                request, _("已报送市政府办公厅备案。本次报送晚于截止时间，记为逾期报送。")
            )
        else:
            messages.success(request, _("已报送市政府办公厅备案。"))
    return redirect("annual_plans:staff_detail", pk=pk)


@login_required
def amendment_start(request, pk: int):
    plan = _plan(request, pk, "annual_plans.request_amendment")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            amendment = services.amendment_start(
                plan=plan, by=request.user, reason=form.cleaned_data["reason"]
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            return redirect("annual_plans:amendment_edit", pk=amendment.pk)
    return render(request, "annual_plans/amendment_start.html", {"plan": plan, "form": form})


def _amendment(request, pk: int) -> Amendment:
    amendment = get_object_or_404(
        Amendment.objects.select_related("plan__department").prefetch_related("items"), pk=pk
    )
    require_perm(request, "annual_plans.request_amendment", amendment.plan)
    return amendment


@login_required
def amendment_edit(request, pk: int):
    amendment = _amendment(request, pk)
    if not amendment.is_editable:
        messages.info(request, _("该调整申请已提交，不能再修改。"))
        return redirect("annual_plans:staff_detail", pk=amendment.plan_id)
    reason = ReasonForm(request.POST or None, initial={"reason": amendment.reason})
    formset = ItemFormSet(
        request.POST or None,
        initial=item_initial(amendment.items.all()),
        year=amendment.plan.year,
        prefix="items",
    )
    if request.method == "POST" and reason.is_valid() and formset.is_valid():
        try:
            services.amendment_save(
                amendment=amendment,
                by=request.user,
                reason=reason.cleaned_data["reason"],
                items=formset.item_data(),
            )
            if "submit" in request.POST:
                services.amendment_submit(amendment=amendment, by=request.user)
        except TransitionError as error:
            reason.add_error(None, str(error))
        else:
            if "submit" in request.POST:
                messages.success(request, _("已提交年中调整申请，等待市政府办公厅审核。"))
                return redirect("annual_plans:staff_detail", pk=amendment.plan_id)
            messages.success(request, _("调整方案已保存。"))
            return redirect("annual_plans:amendment_edit", pk=amendment.pk)
    return render(
        request,
        "annual_plans/plan_form.html",
        {
            "amendment": amendment,
            "matter_effects": amendment_matter_effects(amendment),
            "plan": amendment.plan,
            "header": reason,
            "formset": formset,
            "rows": [(form, "") for form in formset.forms],
        },
    )
