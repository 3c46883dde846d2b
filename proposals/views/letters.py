"""The reply letter as a PDF: for staff who may read the item, for the public once a
public item's letter has been sent, and for each author through the personal link."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .. import reports, services
from ..models import Rating, Reply


def _pdf(reply: Reply) -> HttpResponse:
    response = HttpResponse(reports.reply_pdf(reply), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True, reports.reply_filename(reply)
    )
    return response


@require_safe
def reply_pdf(request, pk: int):
    reply = get_object_or_404(Reply.objects.select_related("proposal"), pk=pk)
    proposal = reply.proposal
    if not request.user.has_perm("proposals.download_reply", proposal):
        raise Http404
    # The public reads a public item's letter once it has been sent, never a draft.
    if reply.status != Reply.Status.SENT and not request.user.has_perm(
        "proposals.view_proposal", proposal
    ):
        raise Http404
    response = _pdf(reply)
    if reply.status != Reply.Status.SENT or not request.user.is_anonymous:
        response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@require_safe
def rating_pdf(request, token: str):
    try:
        rating = services.rating_by_token(token)
    except Rating.DoesNotExist:
        raise Http404 from None
    response = _pdf(rating.reply)
    response["Referrer-Policy"] = "same-origin"
    return response
