"""The public pages of calls: the list, a call with its form while open and its result
once published (with the look-up by receipt number), and the thanks page that shows the
receipt once."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.content_cache import public_page
from core.exceptions import TransitionError
from participation.ratelimit import client_hash, rate_hit

from . import services
from .forms import SubmissionForm
from .models import Call
from .selectors import adopted_public, calls_public

PAGE_SIZE = 20
RECEIPT_SESSION_KEY = "call_receipt"


@require_safe
@public_page
def call_list(request):
    page = Paginator(calls_public(), PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    for call in page.object_list:
        call.status_now = call.status(now)
    return render(request, "calls/public_list.html", {"page": page})


def _public_call(pk: int) -> Call:
    return get_object_or_404(calls_public(), pk=pk)


def _call_page(request, call: Call, *, form=None, status: int = 200):
    now = timezone.now()
    is_open = call.is_open(now)
    if is_open and form is None:
        form = SubmissionForm()
    results = receipt_query = found = None
    if call.results_published_at is not None:
        results = {
            "counts": services.outcome_counts(call),
            "adopted": list(adopted_public(call)),
        }
        receipt_query = request.GET.get("receipt", "")
        if receipt_query:
            found = services.submission_by_receipt(call, receipt_query)
    return render(
        request,
        "calls/public_detail.html",
        {
            "call": call,
            "status": call.status(now),
            "form": form if is_open else None,
            "results": results,
            "receipt_query": receipt_query,
            "found": found,
            "can_manage": request.user.has_perm("calls.view_call", call),
        },
        status=status,
    )


def _rate_hit(request):
    """Proposals count against the same per-address limit as opinions."""
    return rate_hit(
        request,
        scope="call",
        limit=settings.PORTAL_OPINION_RATE,
        window=settings.PORTAL_OPINION_RATE_WINDOW,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def call_detail(request, pk: int):
    call = _public_call(pk)
    if request.method != "POST":
        return _call_page(request, call)
    form = SubmissionForm(request.POST)
    verdict = _rate_hit(request)
    if not verdict.allowed:
        form.is_valid()
        form.add_error(
            None,
            _("同一网络地址短时间内提交的建议过多，请在%(minutes)d分钟后再试。")
            % {"minutes": verdict.retry_minutes},
        )
        response = _call_page(request, call, form=form, status=429)
        response["Retry-After"] = str(verdict.retry_after)
        return response
    if not form.is_valid():
        return _call_page(request, call, form=form)
    if form.is_spam:
        # Same answer as for a person, nothing stored: the robot learns nothing.
        request.session[RECEIPT_SESSION_KEY] = services.new_receipt(services.RECEIPT_PREFIX)
        return redirect("calls:thanks", pk=call.pk)
    data = {key: value for key, value in form.cleaned_data.items() if key != "website"}
    try:
        submission = services.submission_submit(call=call, client_hash=client_hash(request), **data)
    except TransitionError as error:
        form.add_error(None, str(error))
        return _call_page(request, call, form=form)
    request.session[RECEIPT_SESSION_KEY] = submission.receipt
    return redirect("calls:thanks", pk=call.pk)


@require_safe
def call_thanks(request, pk: int):
    call = _public_call(pk)
    receipt = request.session.pop(RECEIPT_SESSION_KEY, "")
    return render(request, "calls/thanks.html", {"call": call, "receipt": receipt})
