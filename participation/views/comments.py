"""Comment periods: the public pages (read, comment) and the staff's opinion register.

Every staff view checks an object permission from ``participation.rules`` and calls a
service; a refusal from the service is shown as it is, and nothing typed is lost.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from audit.personal import shows_contact_details
from core.content_cache import public_page
from core.exceptions import TransitionError
from core.permissions import require_perm
from matters.models import Matter

from ..forms.comments import (
    CommentPeriodForm,
    DispositionForm,
    OfflineOpinionForm,
    OpinionFilterForm,
    OpinionForm,
    PeriodFilterForm,
)
from ..models import CommentPeriod
from ..public_forms import public_submit
from ..ratelimit import client_hash, opinion_rate_hit
from ..selectors.comments import (
    comment_periods_for_staff,
    comment_periods_open,
    comment_periods_public,
    days_left,
    feedback_stats,
    opinion_by_receipt,
    opinion_register,
    opinions_public,
    period_is_closed,
    period_is_open,
)
from ..selectors.supervision import (
    OpinionScope,
    filter_comment_periods,
    opinion_total,
    with_opinion_scope,
)
from ..services import comments as services

PAGE_SIZE = 20
REGISTER_PAGE_SIZE = 50


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --------------------------------------------------------------------------- public


@require_safe
@public_page
def open_comment_periods(request):
    now = timezone.now()
    page = Paginator(comment_periods_open(now=now), PAGE_SIZE).get_page(request.GET.get("page"))
    for period in page.object_list:
        period.days_left = days_left(period, now=now)
    return render(request, "participation/comments/open_list.html", {"page": page})


def _public_period(pk: int) -> CommentPeriod:
    return get_object_or_404(comment_periods_public(), pk=pk)


def _period_page(request, period: CommentPeriod, *, form=None, status: int = 200):
    now = timezone.now()
    is_open = period_is_open(period, now=now)
    is_closed = period_is_closed(period, now=now)
    if is_open and form is None:
        form = OpinionForm()
    opinions = Paginator(opinions_public(period=period), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    report = None
    receipt = answer = None
    if period.report_published_at is not None:
        report = feedback_stats(period=period)
        if "receipt" in request.GET:  # someone looks up the answer by their receipt
            receipt = services.normalise_receipt(request.GET["receipt"])
            answer = opinion_by_receipt(period=period, receipt=receipt)
    return render(
        request,
        "participation/comments/period_detail.html",
        {
            "period": period,
            "matter": period.matter,
            "is_open": is_open,
            "is_closed": is_closed,
            "days_left": days_left(period, now=now) if is_open else None,
            "form": form if is_open else None,
            "opinions": opinions,
            "report": report,
            "receipt_query": request.GET.get("receipt", "") if report else "",
            "receipt": receipt,
            "receipt_answer": answer,
            "can_manage": request.user.has_perm("participation.view_internal", period),
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def period_detail(request, pk: int):
    period = _public_period(pk)
    if request.method != "POST":
        return _period_page(request, period)
    return public_submit(
        request,
        OpinionForm(request.POST),
        verdict=opinion_rate_hit(request),
        flooded=_("同一网络地址短时间内提交的意见过多，请在%(minutes)d分钟后再试。"),
        page=lambda **kwargs: _period_page(request, period, **kwargs),
        submit=lambda form: (
            services.opinion_submit(
                period=period, client_hash=client_hash(request), **form.submitted
            ).receipt
        ),
        spam_receipt=services.new_receipt,
        session_key=RECEIPT_SESSION_KEY,
        thanks="participation:comment_thanks",
        pk=period.pk,
    )


RECEIPT_SESSION_KEY = "opinion_receipt"


@require_safe
def comment_thanks(request, pk: int):
    period = _public_period(pk)
    receipt = request.session.pop(RECEIPT_SESSION_KEY, "")
    return render(
        request, "participation/comments/thanks.html", {"period": period, "receipt": receipt}
    )


# ---------------------------------------------------------------------------- staff


@login_required
def staff_period_list(request):
    require_perm(request, "matters.use_staff_pages")
    now = timezone.now()
    can_view_rates = request.user.has_perm("participation.view_adoption_rates")
    periods = comment_periods_for_staff(user=request.user)
    matter_id = request.GET.get("matter", "")
    if matter_id.isdigit():  # from a matter's staff page: its periods only
        periods = periods.filter(matter_id=int(matter_id))
    form = PeriodFilterForm(request.GET or None, departments=can_view_rates)
    filters = form.cleaned()
    scope = OpinionScope(
        channel=filters.pop("channel", ""),
        disposition=filters.pop("disposition", ""),
        month=filters.pop("month", None),
    )
    periods = filter_comment_periods(periods, now=now, **filters)
    if scope:  # a figure of some opinions only: the periods that received them
        periods = with_opinion_scope(periods, scope)
    page = Paginator(periods, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "participation/comments/staff_list.html",
        {
            "page": page,
            "form": form,
            "query": _query_without_page(request),
            "is_filtered": bool(filters or scope),
            "scope": scope,
            "opinion_total": opinion_total(periods, scope),
            "now": now,
            "can_view_rates": can_view_rates,
        },
    )


@login_required
def period_open(request, pk: int):
    matter = get_object_or_404(Matter, pk=pk)
    require_perm(request, "participation.manage", matter)
    form = CommentPeriodForm(request.POST or None, matter=matter)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.comment_period_open(
                matter=matter, by=request.user, **form.cleaned_data
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已发起征求意见。"))
            return redirect("participation:staff_period", pk=period.pk)
    return render(
        request,
        "participation/comments/period_form.html",
        {"form": form, "matter": matter, "is_published": matter.is_published},
    )


def _staff_period(request, pk: int, permission: str) -> CommentPeriod:
    period = get_object_or_404(
        CommentPeriod.objects.select_related("matter__department", "draft", "created_by"), pk=pk
    )
    require_perm(request, permission, period)
    return period


def _register_page(request, period: CommentPeriod, *, bulk_form=None, selected=(), status=200):
    filter_form = OpinionFilterForm(request.GET or None)
    opinions = opinion_register(period=period, **filter_form.filters())
    page = Paginator(opinions, REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    can_manage = request.user.has_perm("participation.manage", period)
    now = timezone.now()
    return render(
        request,
        "participation/comments/register.html",
        {
            "period": period,
            "matter": period.matter,
            "filter_form": filter_form,
            "page": page,
            "query": _query_without_page(request),
            "full_query": request.GET.urlencode(),
            "can_manage": can_manage,
            "bulk_form": bulk_form or DispositionForm(auto_id="bulk_%s"),
            "selected": {str(pk) for pk in selected},
            "is_open": period_is_open(period, now=now),
            "is_closed": period_is_closed(period, now=now),
            "report_published": period.report_published_at is not None,
        },
        status=status,
    )


@shows_contact_details(_lazy("意见提出人"))
@login_required
@require_safe
def staff_period(request, pk: int):
    period = _staff_period(request, pk, "participation.view_internal")
    return _register_page(request, period)


def _back_to_register(request, period: CommentPeriod):
    url = reverse("participation:staff_period", kwargs={"pk": period.pk})
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}" if query else url)


def _selected_ids(request) -> list[int]:
    return [int(value) for value in request.POST.getlist("opinion") if value.isdigit()]


@login_required
@require_POST
def opinions_moderate(request, pk: int):
    period = _staff_period(request, pk, "participation.manage")
    try:
        count = services.opinions_moderate(
            period=period,
            by=request.user,
            opinion_ids=_selected_ids(request),
            moderation=request.POST.get("moderation", ""),
        )
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已更新%(count)d条意见的公开显示。") % {"count": count})
    return _back_to_register(request, period)


@login_required
@require_POST
def opinions_dispose(request, pk: int):
    period = _staff_period(request, pk, "participation.manage")
    selected = _selected_ids(request)
    form = DispositionForm(request.POST, auto_id="bulk_%s")
    if form.is_valid():
        try:
            count = services.opinions_dispose(
                period=period,
                by=request.user,
                opinion_ids=selected,
                disposition=form.cleaned_data["disposition"],
                response=form.cleaned_data["response"],
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已处理%(count)d条意见。") % {"count": count})
            return _back_to_register(request, period)
    # The chosen opinions, the result and the answer all stay as they were typed.
    return _register_page(request, period, bulk_form=form, selected=selected)


@login_required
def opinion_record(request, pk: int):
    period = _staff_period(request, pk, "participation.manage")
    form = OfflineOpinionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.opinion_record(period=period, by=request.user, **form.cleaned_data)
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已登记线下意见。"))
            if "another" in request.POST:
                return redirect("participation:opinion_record", pk=period.pk)
            return redirect("participation:staff_period", pk=period.pk)
    return render(
        request,
        "participation/comments/opinion_form.html",
        {"form": form, "period": period, "matter": period.matter},
    )
