"""The search page: counts per kind of result, then a preview of each kind or one kind
paged. A constant number of queries whatever the number of hits: one per section, which
reads its rows and, in the same pass, how many there are (``COUNT(*) OVER ()``): ranking
has to visit every match anyway, so a separate count would read them all twice."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Window
from django.shortcuts import render
from django.utils.functional import cached_property
from django.views.decorators.http import require_safe

from core.content_cache import public_page

from .forms import SearchForm
from .sections import sections_for

PAGE_SIZE = 20
PREVIEW_SIZE = 3


def counted_rows(section, *, user, results, offset: int, limit: int) -> tuple[list, int | None]:
    """Rows ``offset`` to ``offset + limit`` of a section's ``results`` and their total.
    The total is None when the slice is empty past the first row (a page beyond the last).

    The ranking pass reads only ids (with ``COUNT(*) OVER ()``); the few rows shown are
    then read by id from what the user may see, without the search expressions: carrying
    every column of 3,500 matches through the window and the sort took half the page's
    time at city scale."""
    ranked = list(
        results.annotate(total_count=Window(Count("*"))).values_list("pk", "total_count")[
            offset : offset + limit
        ]
    )
    if not ranked:
        return [], 0 if offset == 0 else None
    ids = [pk for pk, _total in ranked]
    rows = {row.pk: row for row in section.rows(user).filter(pk__in=ids).order_by()}
    return [rows[pk] for pk in ids if pk in rows], ranked[0][1]


class CountedPaginator(Paginator):
    """A paginator told its count, which the page has already read."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def _page_number(raw: str | None) -> int:
    """As ``Paginator.get_page`` reads it: anything but a positive integer is page 1."""
    try:
        return max(1, int(raw))
    except (TypeError, ValueError):
        return 1


@require_safe
@public_page
def search_page(request):
    form = SearchForm(request.GET if "q" in request.GET else None)
    context = {"form": form, "q": request.GET.get("q", "")}
    if not form.is_bound or not form.is_valid():
        return render(request, "search/results.html", context)
    q = form.cleaned_data["q"]
    sections = sections_for(request.user)
    wanted = request.GET.get("type")
    if wanted not in {section.code for section in sections}:
        wanted = None
    page_number = _page_number(request.GET.get("page")) if wanted else 1
    groups = []
    for section in sections:
        results = section.results(user=request.user, q=q)
        if section.code != wanted:
            rows, count = counted_rows(
                section, user=request.user, results=results, offset=0, limit=PREVIEW_SIZE
            )
        else:
            offset = (page_number - 1) * PAGE_SIZE
            rows, count = counted_rows(
                section, user=request.user, results=results, offset=offset, limit=PAGE_SIZE
            )
            if count is None:  # past the last page: show the last, as get_page() does
                count = results.count()
                page_number = max(1, -(-count // PAGE_SIZE))
                rows = list(results[(page_number - 1) * PAGE_SIZE : page_number * PAGE_SIZE])
        groups.append(
            {
                "section": section,
                "results": results,
                "rows": rows,
                "count": count,
                "query": urlencode({"q": q, "type": section.code}),
            }
        )
    selected = next((g for g in groups if g["section"].code == wanted), None)
    page = None
    if selected is not None:
        page = CountedPaginator(selected["results"], PAGE_SIZE, count=selected["count"]).page(
            page_number
        )
        page.object_list = selected["rows"]
        selected["hits"] = [selected["section"].hit(row, q) for row in selected["rows"]]
    else:
        for group in groups:
            group["hits"] = [group["section"].hit(row, q) for row in group["rows"]]
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
