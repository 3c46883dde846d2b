"""How the search page finds surveys: the public ones (``rules.public_surveys``: published,
not cancelled, not offline records, of a published matter or none) whose title or
introduction contains every word of a query (``core.search``: Chinese by bigrams, title
hits first).

On PostgreSQL the match and the rank read the stored columns ``search_vector`` (GIN index
``surveys_survey_search``) and ``search_title`` (surveys/migrations/0003_search.py);
elsewhere words match by containment."""

from django.db.models import QuerySet

from core.search import search

from .models import Survey
from .rules import public_surveys


def surveys_searchable() -> QuerySet[Survey]:
    """What the public search shows, with what a hit reads."""
    return public_surveys().select_related("department", "matter")


def surveys_matching(queryset: QuerySet[Survey], text: str) -> QuerySet[Survey]:
    return search(queryset, text.strip(), title="title", body="introduction", recency="updated_at")
