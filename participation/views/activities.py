"""Consultation activities: the lead department runs them, the general office reads them,
and the public sees those whose notice is out."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.content_cache import public_page
from core.exceptions import TransitionError
from core.permissions import require_perm
from matters.models import Matter

from ..calendar import activity_ics
from ..forms.activities import ActivityFilterForm, ActivityForm, MinutesForm
from ..models import Activity
from ..selectors.activities import (
    activities_of_matter,
    activities_upcoming,
    activities_with_minutes,
    activity_public_detail,
    activity_staff_detail,
)
from ..services import activities as services

PAGE_SIZE = 20


def _activity(request, pk: int, permission: str) -> Activity:
    try:
        activity = activity_staff_detail(pk=pk)
    except Activity.DoesNotExist:
        raise Http404 from None
    require_perm(request, permission, activity)
    return activity


# --- staff -----------------------------------------------------------------------------


@login_required
def activity_staff_list(request, matter_pk: int):
    matter = get_object_or_404(Matter.objects.select_related("department"), pk=matter_pk)
    require_perm(request, "participation.view_internal", matter)
    page = Paginator(activities_of_matter(matter=matter), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "participation/activities/staff_list.html",
        {
            "matter": matter,
            "page": page,
            "can_manage": request.user.has_perm("participation.manage", matter),
        },
    )


@login_required
def activity_create(request, matter_pk: int):
    matter = get_object_or_404(Matter.objects.select_related("department"), pk=matter_pk)
    require_perm(request, "participation.manage", matter)
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_schedule(
                matter=matter,
                by=request.user,
                override_reason=form.cleaned_data["override_reason"],
                **form.service_fields(),
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已安排协商活动“%(title)s”。") % {"title": activity.title})
            return redirect("participation:activity_staff_detail", pk=activity.pk)
    return render(
        request,
        "participation/activities/form.html",
        {"form": form, "matter": matter, "activity": None},
    )


@login_required
def activity_edit(request, pk: int):
    activity = _activity(request, pk, "participation.manage")
    form = ActivityForm(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        if form.fields["notice_published_at"].disabled:
            fields.pop("notice_published_at", None)
        try:
            services.activity_update(
                activity=activity,
                by=request.user,
                override_reason=form.cleaned_data["override_reason"],
                **fields,
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已保存修改。"))
            return redirect("participation:activity_staff_detail", pk=activity.pk)
    return render(
        request,
        "participation/activities/form.html",
        {"form": form, "matter": activity.matter, "activity": activity},
    )


@login_required
def activity_detail_staff(request, pk: int):
    activity = _activity(request, pk, "participation.view_internal")
    return render(
        request,
        "participation/activities/staff_detail.html",
        {
            "activity": activity,
            "matter": activity.matter,
            "can_manage": request.user.has_perm("participation.manage", activity),
            "has_started": activity.starts_at <= timezone.now(),
            "problems": services.hearing_notice_problems(
                starts_at=activity.starts_at,
                notice_at=activity.notice_published_at,
                materials_at=activity.materials_published_at,
            )
            if activity.kind == Activity.Kind.HEARING
            else [],
        },
    )


def _transition(request, pk: int, service, success: str):
    activity = _activity(request, pk, "participation.manage")
    try:
        service(activity=activity, by=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("participation:activity_staff_detail", pk=pk)


@login_required
@require_POST
def activity_publish_notice(request, pk: int):
    return _transition(request, pk, services.activity_publish_notice, _("已发布活动公告。"))


@login_required
@require_POST
def activity_mark_held(request, pk: int):
    return _transition(request, pk, services.activity_mark_held, _("已登记为已举行。"))


@login_required
def activity_minutes(request, pk: int):
    activity = _activity(request, pk, "participation.manage")
    form = MinutesForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_publish_minutes(
                activity=activity,
                by=request.user,
                minutes=form.cleaned_data["minutes"],
                upload=form.cleaned_data["file"],
                document_title=form.cleaned_data["document_title"],
            )
        except ValidationError as error:
            form.add_error("file", error)
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已公开纪要。"))
            return redirect("participation:activity_staff_detail", pk=pk)
    return render(
        request,
        "participation/activities/minutes_form.html",
        {"form": form, "activity": activity, "matter": activity.matter},
    )


# --- public ----------------------------------------------------------------------------


@require_safe
@public_page
def activity_list(request):
    form = ActivityFilterForm(request.GET or None)
    filters = form.filters()
    upcoming = Paginator(activities_upcoming(**filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    past = Paginator(activities_with_minutes(**filters), PAGE_SIZE).get_page(
        request.GET.get("past")
    )
    query = request.GET.copy()
    query.pop("page", None)
    past_query = request.GET.copy()
    past_query.pop("past", None)
    return render(
        request,
        "participation/activities/public_list.html",
        {
            "form": form,
            "page": upcoming,
            "past": past,
            "query": query.urlencode(),
            "past_query": past_query.urlencode(),
        },
    )


def _public_activity(request, pk: int) -> Activity:
    try:
        return activity_public_detail(pk=pk)
    except Activity.DoesNotExist:
        raise Http404 from None


@require_safe
@public_page
def activity_detail(request, pk: int):
    try:
        activity = activity_public_detail(pk=pk)
    except Activity.DoesNotExist:
        activity = Activity.objects.select_related("matter").filter(pk=pk).first()
        if activity is not None and request.user.has_perm("participation.view_internal", activity):
            return redirect("participation:activity_staff_detail", pk=pk)
        raise Http404 from None
    return render(request, "participation/activities/public_detail.html", {"activity": activity})


@require_safe
def activity_calendar(request, pk: int):
    activity = _public_activity(request, pk)
    response = HttpResponse(activity_ics(activity), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="activity-{activity.pk}.ics"'
    return response
