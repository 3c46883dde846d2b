"""The search page: counts per kind of result, then a preview of each kind or one kind
paged. A constant number of queries whatever the number of hits: a count and a page per
section."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET

from .forms import SearchForm
from .sections import sections_for

PAGE_SIZE = 20
PREVIEW_SIZE = 3


class CountedPaginator(Paginator):
    """A paginator told its count, which the page has already read."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


@require_GET
def search_page(request):
    form = SearchForm(request.GET if "q" in request.GET else None)
    context = {"form": form, "q": request.GET.get("q", "")}
    if not form.is_bound or not form.is_valid():
        return render(request, "search/results.html", context)
    q = form.cleaned_data["q"]
    sections = sections_for(request.user)
    groups = []
    for section in sections:
        results = section.results(user=request.user, q=q)
        groups.append(
            {
                "section": section,
                "results": results,
                "count": results.count(),
                "query": urlencode({"q": q, "type": section.code}),
            }
        )
    selected = next((g for g in groups if g["section"].code == request.GET.get("type")), None)
    page = None
    if selected is not None:
        page = CountedPaginator(selected["results"], PAGE_SIZE, count=selected["count"]).get_page(
            request.GET.get("page")
        )
        selected["hits"] = [selected["section"].hit(row, q) for row in page.object_list]
    else:
        for group in groups:
            rows = group["results"][:PREVIEW_SIZE] if group["count"] else []
            group["hits"] = [group["section"].hit(row, q) for row in rows]
    context.update(
        {
            "q": q,
            "searched": True,
            "groups": groups,
            "selected": selected,
            "total": sum(group["count"] for group in groups),
            "page": page,
            "all_query": urlencode({"q": q}),
            # what the pagination links keep
            "query": selected["query"] if selected else "",
        }
    )
    return render(request, "search/results.html", context)
