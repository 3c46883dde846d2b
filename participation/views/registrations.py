"""Hearing registration: the public registers; the lead department chooses representatives
by hand or by a reproducible random draw. Contact data stays on the staff page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from audit.personal import shows_contact_details
from core.exceptions import TransitionError
from core.permissions import require_perm

from ..forms.invitations import ChooseForm, DrawForm, RegistrationForm
from ..ratelimit import registration_rate_hit
from ..selectors.invitations import (
    activity_draw,
    activity_for_registration,
    activity_for_staff,
    registration_counts,
    registrations_for_activity,
    selected_representatives,
)
from ..services import registrations as services

PAGE_SIZE = 100


def registration_create(request, pk: int):
    activity = activity_for_registration(pk=pk)
    now = timezone.now()
    refusal = services.registration_refusal(activity, now=now)
    form = RegistrationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if refusal:
            messages.error(request, refusal)
        elif not (verdict := registration_rate_hit(request)).allowed:
            # What was typed stays in the form, to be sent again later.
            form.is_valid()
            form.add_error(
                None,
                _("同一网络地址短时间内提交的报名过多，请在%(minutes)d分钟后再试。")
                % {"minutes": verdict.retry_minutes},
            )
            status = 429
        elif form.is_valid():
            try:
                services.registration_create(activity=activity, **form.cleaned_data)
            except services.DuplicateRegistration as error:
                form.add_error("phone", str(error))
            except TransitionError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("报名成功。工作人员将在报名截止后选定听证代表并通知您。"),
                )
                return redirect("participation:registration_create", pk=activity.pk)
    draw = activity_draw(activity=activity)
    response = render(
        request,
        "participation/registrations/public.html",
        {
            "activity": activity,
            "matter": activity.matter,
            "form": form,
            "refusal": refusal,
            "counts": registration_counts(activity=activity),
            "draw": draw,
            "selected": selected_representatives(activity=activity),
        },
        status=status,
    )
    if status == 429:
        response["Retry-After"] = str(verdict.retry_after)
    return response


@shows_contact_details(_lazy("听证报名人"))
@login_required
def registration_list(request, pk: int):
    activity = activity_for_staff(pk=pk)
    require_perm(request, "participation.view_internal", activity)
    can_manage = request.user.has_perm("participation.manage", activity)
    registrations = registrations_for_activity(activity=activity)
    choose_form = ChooseForm(registrations=registrations)
    draw_form = DrawForm()
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if "draw" in request.POST:
            draw_form = DrawForm(request.POST)
            if draw_form.is_valid():
                try:
                    draw = services.representatives_draw(
                        activity=activity, by=request.user, seed=draw_form.cleaned_data["seed"]
                    )
                except TransitionError as error:
                    draw_form.add_error(None, str(error))
                else:
                    messages.success(
                        request,
                        _("已随机抽选%(count)d名听证代表，并通知报名人。")
                        % {"count": len(draw.selected)},
                    )
                    return redirect("participation:registration_list", pk=activity.pk)
        else:
            choose_form = ChooseForm(request.POST, registrations=registrations)
            if choose_form.is_valid():
                try:
                    chosen = services.representatives_choose(
                        activity=activity,
                        by=request.user,
                        registrations=choose_form.cleaned_data["registrations"],
                    )
                except TransitionError as error:
                    choose_form.add_error(None, str(error))
                else:
                    messages.success(
                        request,
                        _("已选定%(count)d名听证代表，并通知报名人。") % {"count": len(chosen)},
                    )
                    return redirect("participation:registration_list", pk=activity.pk)
    ticked = {int(value) for value in request.POST.getlist("registrations") if value.isdigit()}
    counts = registration_counts(activity=activity)
    draw = activity_draw(activity=activity)
    closes_at = activity.registration_closes_at
    return render(
        request,
        "participation/registrations/staff_list.html",
        {
            "activity": activity,
            "matter": activity.matter,
            "page": Paginator(registrations, PAGE_SIZE).get_page(request.GET.get("page")),
            "counts": counts,
            "draw": draw,
            "can_manage": can_manage,
            "can_choose": can_manage
            and draw is None
            and counts["total"] > 0
            and not counts["selected"]
            and not registrations.exclude(status="registered").exists(),
            "still_open": closes_at is not None and timezone.now() < closes_at,
            "choose_form": choose_form,
            "draw_form": draw_form,
            "ticked": ticked,
        },
    )
