"""Invitations: the lead department invites and records attendance; invitees answer
through their personal link, without an account.

Staff pages check ``participation.view_internal`` to read and ``participation.manage`` to
write, on the activity itself; the general office reads them.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from audit.personal import shows_contact_details
from core.exceptions import TransitionError
from core.permissions import require_perm

from ..forms.invitations import AttendanceForm, InviteForm, ReplyForm, default_deadline
from ..invite_messages import invite_from_form
from ..models import Invitation
from ..selectors.invitations import (
    activity_for_staff,
    category_balance,
    invitation_by_token,
    invitation_counts,
    invitations_for_activity,
    participants_to_invite,
)
from ..services import invitations as services

PAGE_SIZE = 50


@shows_contact_details(_lazy("受邀参与主体"))
@login_required
def invitation_list(request, pk: int):
    activity = activity_for_staff(pk=pk)
    require_perm(request, "participation.view_internal", activity)
    can_manage = request.user.has_perm("participation.manage", activity)
    form = None
    if can_manage:
        form = InviteForm(
            request.POST or None,
            participants=participants_to_invite(),
            initial={"reply_deadline": default_deadline(activity)},
        )
    elif request.method == "POST":
        raise PermissionDenied
    done = invite_from_form(
        request,
        form,
        lambda data: services.invitations_send(
            activity=activity,
            by=request.user,
            reply_deadline=data["reply_deadline"],
            participants=data["participants"],
            categories=data["categories"],
        ),
        then="participation:invitation_list",
        pk=activity.pk,
    )
    if done is not None:
        return done
    page = Paginator(invitations_for_activity(activity=activity), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "participation/invitations/staff_list.html",
        {
            "activity": activity,
            "matter": activity.matter,
            "page": page,
            "counts": invitation_counts(activity=activity),
            "balance": category_balance(activity=activity),
            "form": form,
            "can_manage": can_manage,
            "now": timezone.now(),
            "has_started": activity.starts_at <= timezone.now(),
        },
    )


@login_required
def invitation_attendance(request, pk: int):
    activity = activity_for_staff(pk=pk)
    require_perm(request, "participation.manage", activity)
    invitations = invitations_for_activity(activity=activity)
    form = AttendanceForm(request.POST or None, invitations=invitations)
    if request.method == "POST" and form.is_valid():
        try:
            present = services.attendance_record(
                activity=activity, by=request.user, attended=form.cleaned_data["attended"]
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已登记出席情况：出席%(count)d人。") % {"count": present})
            return redirect("participation:invitation_list", pk=activity.pk)
    ticked = (
        {int(value) for value in request.POST.getlist("attended") if value.isdigit()}
        if request.method == "POST"
        else {i.pk for i in invitations if i.attended}
    )
    return render(
        request,
        "participation/invitations/attendance.html",
        {
            "activity": activity,
            "matter": activity.matter,
            "invitations": invitations,
            "form": form,
            "ticked": ticked,
            "has_started": activity.starts_at <= timezone.now(),
        },
    )


@login_required
@require_POST
def invitation_resend(request, pk: int):
    invitation = get_object_or_404(
        Invitation.objects.select_related("activity__matter", "participant"), pk=pk
    )
    require_perm(request, "participation.manage", invitation.activity)
    try:
        services.invitation_resend(invitation=invitation, by=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("已重新发送邀请给%(name)s，原链接已作废。") % {"name": invitation.participant.name},
        )
    return redirect("participation:invitation_list", pk=invitation.activity_id)


def _private(response):
    # The URL carries the personal token: keep it out of other sites' referrers and shared
    # caches. Not "no-referrer": Chromium then posts the reply form with Origin: null,
    # which Django's CSRF check rightly refuses.
    response["Referrer-Policy"] = "same-origin"
    return response


@never_cache
def invitation_reply(request, token: str):
    try:
        invitation = invitation_by_token(token=token)
    except Invitation.DoesNotExist:
        raise Http404 from None
    activity = invitation.activity
    context = {"invitation": invitation, "activity": activity, "matter": activity.matter}
    if invitation.reply_deadline <= timezone.now():
        return _private(
            render(request, "participation/invitations/expired.html", context, status=410)
        )
    initial = {}
    if invitation.status != Invitation.Status.PENDING:
        initial = {
            "answer": "accept" if invitation.status == Invitation.Status.ACCEPTED else "decline",
            "decline_reason": invitation.decline_reason,
        }
    form = ReplyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_reply(
                token=token,
                accept=form.cleaned_data["answer"],
                decline_reason=form.cleaned_data["decline_reason"],
            )
        except Invitation.DoesNotExist:
            raise Http404 from None
        except services.ReplyClosed:
            return _private(
                render(request, "participation/invitations/expired.html", context, status=410)
            )
        messages.success(request, _("您的回复已收到，谢谢。回复截止前您仍可修改。"))
        return redirect("participation:invitation_reply", token=token)
    context["form"] = form
    return _private(render(request, "participation/invitations/reply.html", context))
