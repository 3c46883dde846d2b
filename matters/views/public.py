"""Public pages: published matters, their drafts and documents. No account needed."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from core.content_cache import CachedCountPaginator, public_page
from core.uploads import stored_file_response

from ..forms import MatterFilterForm
from ..models import Document, DraftVersion, Matter
from ..selectors import filter_matters, matter_public_detail, matter_timeline, matters_public

PAGE_SIZE = 20


@require_safe
@public_page
def matter_list(request):
    # Lazy: the list is a shared fragment of the page, and a kept copy needs none of it.
    form = SimpleLazyObject(lambda: MatterFilterForm(request.GET or None))
    page = SimpleLazyObject(
        lambda: CachedCountPaginator(
            filter_matters(matters_public(), **form.filters()), PAGE_SIZE
        ).get_page(request.GET.get("page"))
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "matters/public_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@require_safe
@public_page
def matter_detail(request, pk: int):
    try:
        matter = matter_public_detail(pk=pk)
    except Matter.DoesNotExist:
        # Staff who may see an unpublished matter are sent to its staff page; for
        # everyone else it does not exist.
        matter = Matter.objects.filter(pk=pk).first()
        if matter is not None and request.user.has_perm("matters.view_matter_internal", matter):
            return redirect("matters:staff_detail", pk=pk)
        raise Http404 from None
    return render(
        request,
        "matters/public_detail.html",
        {"matter": matter, "timeline": matter_timeline(matter)},
    )


@require_safe
@public_page
def draft_detail(request, pk: int, number: int):
    draft = get_object_or_404(
        DraftVersion.objects.select_related("matter__department"),
        matter_id=pk,
        number=number,
        is_published=True,
        matter__is_published=True,
    )
    versions = draft.matter.drafts.filter(is_published=True).only("number", "title", "published_at")
    return render(request, "matters/draft_detail.html", {"draft": draft, "versions": versions})


@require_safe
def document_download(request, pk: int):
    document = get_object_or_404(Document.objects.select_related("matter"), pk=pk)
    public = document.is_public and not document.is_removed and document.matter.is_published
    if not public and not request.user.has_perm("matters.view_matter_internal", document.matter):
        raise Http404
    return stored_file_response(
        document.file, filename=document.download_name, content_type=document.content_type
    )
