"""The public pages of calls: the list, a call with its form while open and its result
once published (with the look-up by receipt number), the thanks page that shows the
receipt once, and the page behind an invited participant's personal link."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.content_cache import public_page
from core.exceptions import TransitionError
from participation.public_forms import public_submit
from participation.ratelimit import client_hash, rate_hit

from . import services
from .forms import LinkSubmissionForm, SubmissionForm
from .models import Call
from .selectors import adopted_public, calls_public, outcome_counts

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
            "counts": outcome_counts(call),
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
    return public_submit(
        request,
        SubmissionForm(request.POST, request.FILES),
        verdict=_rate_hit(request),
        flooded=_("同一网络地址短时间内提交的建议过多，请在%(minutes)d分钟后再试。"),
        page=lambda **kwargs: _call_page(request, call, **kwargs),
        submit=lambda form: (
            services.submission_submit(
                call=call, client_hash=client_hash(request), **form.submitted
            ).receipt
        ),
        spam_receipt=lambda: services.new_receipt(services.RECEIPT_PREFIX),
        session_key=RECEIPT_SESSION_KEY,
        thanks="calls:thanks",
        pk=call.pk,
    )


@require_safe
def call_thanks(request, pk: int):
    call = _public_call(pk)
    receipt = request.session.pop(RECEIPT_SESSION_KEY, "")
    return render(request, "calls/thanks.html", {"call": call, "receipt": receipt})


def _private(response):
    # The address carries a personal token: no cache, no referrer, no search engine.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def call_by_link(request, token: str):
    """An invited participant's page: the call, the form while it is open, and what this
    link has sent so far with each proposal's outcome once the result is out."""
    invitee = services.invitee_by_token(token)
    if invitee is None:
        raise Http404
    call = invitee.call
    now = timezone.now()
    is_open = call.is_open(now)
    form = None
    if is_open:
        form = LinkSubmissionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            submission = services.submission_submit_by_link(invitee=invitee, **form.cleaned_data)
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("建议已提交，回执编号 %(receipt)s。") % {"receipt": submission.receipt},
            )
            return _private(redirect("calls:link", token=token))
    if form is not None and form.errors:
        status = 422
    elif request.method == "POST" and form is None:
        status = 409  # the call closed while the page was open; the page says so
    else:
        status = 200
    sent = invitee.submissions.select_related(
        "plan_item__plan__department", "matter", "merged_into", "transferred_to"
    ).order_by("submitted_at", "pk")
    return _private(
        render(
            request,
            "calls/link.html",
            {
                "call": call,
                "invitee": invitee,
                "status": call.status(now),
                "form": form,
                "sent": sent,
                "results_out": call.results_published_at is not None,
            },
            status=status,
        )
    )
