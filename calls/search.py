"""How the search page finds public calls: the published ones whose title or scope
contains every word of a query (``core.search``: Chinese by bigrams, title hits first).
Calls are few, so their vectors are computed on the fly rather than stored."""

from django.db.models import QuerySet

from core.search import search

from .models import Call


def calls_searchable() -> QuerySet[Call]:
    """What the public search shows, with what a hit reads."""
    return Call.objects.filter(published_at__isnull=False).select_related("department")


def calls_matching(queryset: QuerySet[Call], text: str) -> QuerySet[Call]:
    return search(
        queryset, text.strip(), title="title", body="scope", recency="published_at", stored=False
    )
