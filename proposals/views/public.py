"""Public pages: the items that may be made public (建议提案公开答复) and their replies.

No account needed. Authors are shown by name and category only; a reply without its
contact phone. An item that is not public, or not yet assigned, does not exist here for
anyone (staff read it on their own pages)."""

from django.http import Http404
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from core.content_cache import CachedCountPaginator, public_page
from core.search import highlight

from ..forms.public import PublicProposalFilterForm
from ..models import Proposal
from ..selectors import (
    filter_proposals,
    proposal_public_detail,
    proposals_matching,
    proposals_public,
)

PAGE_SIZE = 20
SNIPPET_LENGTH = 120


def _listed(form: PublicProposalFilterForm):
    rows = filter_proposals(proposals_public(), **form.filters())
    query = form.query()
    return proposals_matching(rows, query) if query else rows


def _page(request, form: PublicProposalFilterForm):
    page = CachedCountPaginator(_listed(form), PAGE_SIZE).get_page(request.GET.get("page"))
    query = form.query()
    if query:
        # Found by words: the words marked in the title and in the body around them.
        page.object_list = list(page.object_list)
        for proposal in page.object_list:
            proposal.marked_title = highlight(proposal.title, query)
            proposal.snippet = highlight(proposal.body, query, length=SNIPPET_LENGTH)
    return page


@require_safe
@public_page
def proposal_list(request):
    # Lazy: the list is a shared fragment of the page, and a kept copy needs none of it.
    form = SimpleLazyObject(lambda: PublicProposalFilterForm(request.GET or None))
    page = SimpleLazyObject(lambda: _page(request, form))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "proposals/public_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "q": request.GET.get("q", "")},
    )


@require_safe
@public_page
def proposal_detail(request, pk: int):
    try:
        proposal = proposal_public_detail(pk=pk)
    except Proposal.DoesNotExist:
        raise Http404 from None
    return render(request, "proposals/public_detail.html", {"proposal": proposal})
