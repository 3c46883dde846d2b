"""Full-text search shared by the search page and the API's ``q``.

Chinese has no spaces between words, so text is cut into overlapping two-character
tokens (bigrams): 养老服务 → 养老 老服 服务. A query matches when every bigram of it is
present, so a two-character word such as 养老 or 学校 finds every text containing it.

On PostgreSQL two SQL functions do the cutting (matters/migrations/0005_search.py):
``portal_bigrams(text)`` and ``portal_search_vector(title, body)``. Each searched table
keeps ``portal_search_vector(title, body)`` and the title's own vector in two generated
columns, ``search_vector`` (GIN-indexed) and ``search_title`` (0006), which matching and
ranking read, so a query ranking thousands of matches does not recompute their vectors.
Opinions keep an expression index on ``portal_search_vector('', content)`` instead; the
expression built here must be the same as that index's (same function, same columns,
same order) or the planner cannot use it. Each app's ``*_matching`` selector names the
columns of its own table. On any other database (the SQLite embedded default) a query is
a plain containment match of every word, newest first.
"""

import functools
import operator
import re
import unicodedata

from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Left
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_QUERY_LENGTH = 100
MAX_WORDS = 10
TITLE_BONUS = 1.0  # above any ts_rank (< 1): a title hit ranks above body-only hits
# The rank reads the title and the start of the body only: it recomputes the vector of
# every matching row (a cost per character), so a long draft must not cost its length.
RANK_BODY_LENGTH = 1000
ALSO_BONUS = 2.0

# Characters that make up words: digits, Latin, Greek, Cyrillic, kana, CJK ideographs
# (with 〇), Hangul. Everything else - spaces, punctuation of any script (，。“”《》〔〕…),
# symbols - separates words. The same class is frozen in matters/migrations/0005_search.py;
# tests/search/test_search_pg.py checks that both cut text alike.
WORD_RANGES = (
    ("0", "9"),
    ("a", "z"),
    ("\u00c0", "\u00d6"),
    ("\u00d8", "\u00f6"),
    ("\u00f8", "\u024f"),
    ("\u0370", "\u03ff"),
    ("\u0400", "\u04ff"),
    ("\u3007", "\u3007"),
    ("\u3041", "\u3096"),
    ("\u30a1", "\u30fa"),
    ("\u30fc", "\u30ff"),
    ("\u3400", "\u4dbf"),
    ("\u4e00", "\u9fff"),
    ("\uac00", "\ud7af"),
    ("\uf900", "\ufaff"),
    ("\U00020000", "\U0002fa1f"),
)
WORD_CLASS = "".join(first if first == last else f"{first}-{last}" for first, last in WORD_RANGES)
WORD_PATTERN = re.compile(f"[{WORD_CLASS}]+")


def normalize(text: str) -> str:
    """Full-width letters and digits to ASCII (NFKC), lower case: as ``portal_bigrams``."""
    return unicodedata.normalize("NFKC", text or "").lower()


def query_words(q: str) -> list[str]:
    """The words of a query, normalised, without repeats, at most ``MAX_WORDS``."""
    words = WORD_PATTERN.findall(normalize((q or "")[:MAX_QUERY_LENGTH]))
    return list(dict.fromkeys(words))[:MAX_WORDS]


def bigrams(word: str) -> list[str]:
    """养老服务 → [养老, 老服, 服务]; a single character stays itself."""
    if len(word) < 2:
        return [word] if word else []
    return [word[i : i + 2] for i in range(len(word) - 1)]


# --------------------------------------------------------------------- SQL expressions


class SearchVector(Func):
    """``portal_search_vector(title, body)``: the indexed expression. Never selected."""

    function = "portal_search_vector"
    output_field = TextField()


def tsquery_text(words: list[str]) -> str:
    """The query that every bigram of ``words`` be present, as PostgreSQL writes a tsquery:
    ``'养老' & '老服' & '服务'``. It is what ``plainto_tsquery('simple', portal_bigrams(…))``
    makes of the same words (tests/search/test_search.py compares them), built here because
    the planner evaluated that expression at every place of every query it appears in:
    half a millisecond of planning each. Words consist of word characters only
    (``WORD_PATTERN``), so no lexeme needs escaping."""
    return " & ".join(f"'{token}'" for word in words for token in bigrams(word))


class SearchQuery(Func):
    """Every bigram of the words must be present (``&``): a ``tsquery_text`` value."""

    template = "%(expressions)s::tsquery"
    output_field = TextField()


class TitleVector(Func):
    template = "to_tsvector('simple'::regconfig, portal_bigrams(%(expressions)s))"
    output_field = TextField()


class Matches(Func):
    template = "(%(expressions)s)"
    arg_joiner = " @@ "
    output_field = BooleanField()


class Rank(Func):
    """Title bigrams weigh A (1.0), body bigrams B (0.4); below 1 for any row."""

    function = "ts_rank"
    output_field = FloatField()


def _stored(queryset: QuerySet, column: str) -> RawSQL:
    """A generated column Django does not know, of the queryset's own (unaliased) table."""
    quote = connections[queryset.db].ops.quote_name
    # Quoted identifiers from the model and this module, no user input.
    return RawSQL(f"{quote(queryset.model._meta.db_table)}.{quote(column)}", ())  # noqa: S611


def _column(name: str | None):
    return F(name) if name else Value("", output_field=TextField())


def search(
    queryset: QuerySet,
    q: str,
    *,
    title: str | None,
    body: str,
    recency: str,
    also: Q | None = None,
    stored: bool = True,
    labels: str | None = None,
) -> QuerySet:
    """The rows of ``queryset`` matching every word of ``q`` in ``title`` or ``body``,
    annotated with ``rank`` and ordered by it, then by ``recency`` (newest first).

    ``title`` and ``body`` are field names; ``title=None`` searches the body alone (as
    ``''``). They must be the columns of the table's search index. Rows matching ``also``
    (a reference number, say) are found too, ranked first. A query without any word finds
    nothing. On PostgreSQL a word of two or more characters matches by bigrams through
    the index, a single character by containment; elsewhere every word by containment,
    and ``rank`` is 0.

    ``stored``: the table keeps its vectors in the generated columns ``search_vector``
    and ``search_title`` (matters/migrations/0006_stored_search_vectors.py), which the
    match and the rank read instead of computing them row by row. The rank is then the
    title's: title hits first, by how well the title matches; body-only hits have the
    same rank and come newest first.

    ``labels``: a field of names (a matter's policy areas) that matches as the body does.
    On PostgreSQL the stored ``search_vector`` must already cover it (matters 0011).
    """
    if labels and not stored:
        raise ValueError("labels are searched through the stored search_vector only")
    words = query_words(q)
    if not words and also is None:
        return queryset.none()
    long = [word for word in words if len(word) > 1]
    single = [word for word in words if len(word) == 1]
    title_column, body_column = _column(title), _column(body)

    def contains(word: str) -> Q:
        found = Q(**{f"{body}__icontains": word})
        if labels:
            found |= Q(**{f"{labels}__icontains": word})
        return found | Q(**{f"{title}__icontains": word}) if title else found

    rank = Value(0.0, output_field=FloatField())
    if connections[queryset.db].vendor == "postgresql":
        conditions: list[Q] = [contains(word) for word in single]
        in_title: list[Q] = [Q(**{f"{title}__icontains": word}) for word in single if title]
        if long and stored:
            query = SearchQuery(Value(tsquery_text(long), output_field=TextField()))
            conditions.insert(0, Q(Matches(_stored(queryset, "search_vector"), query)))
            in_title.insert(0, Q(Matches(_stored(queryset, "search_title"), query)))
            # Ranked by the title's vector: ranking by the whole text read every match's
            # full vector (a third of a search's time at city scale) to order body-only
            # hits by how often a word recurs; they are now ordered newest first.
            rank = Rank(_stored(queryset, "search_title" if title else "search_vector"), query)
        elif long:
            query = SearchQuery(Value(tsquery_text(long), output_field=TextField()))
            vector = SearchVector(title_column, body_column)
            conditions.insert(0, Q(Matches(vector, query)))
            in_title.insert(0, Q(Matches(TitleVector(title_column), query)))
            rank = Rank(SearchVector(title_column, Left(body_column, RANK_BODY_LENGTH)), query)
        if title:
            rank = rank + Case(
                When(functools.reduce(operator.and_, in_title), then=Value(TITLE_BONUS)),
                default=Value(0.0),
                output_field=FloatField(),
            )
    else:
        conditions = [contains(word) for word in words]
    condition = functools.reduce(operator.and_, conditions) if conditions else None
    if also is not None:
        condition = also if condition is None else condition | also
        rank = rank + Case(
            When(also, then=Value(ALSO_BONUS)), default=Value(0.0), output_field=FloatField()
        )
    return (
        queryset.filter(condition)
        .annotate(rank=rank)
        .order_by("-rank", F(recency).desc(nulls_last=True), "-pk")
    )


# ------------------------------------------------------------------------ highlighting


def _terms(q: str) -> list[str]:
    terms = []
    for word in query_words(q):
        terms.append(word)
        if len(word) > 2:
            terms.extend(bigrams(word))
    return list(dict.fromkeys(terms))


def _fold(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char).lower()
    return folded if len(folded) == 1 else char


def highlight(text: str, q: str, *, length: int | None = None) -> SafeString:
    """``text`` HTML-escaped, with every occurrence of each query word and each bigram of
    it in ``<mark>``. With ``length``, whitespace is collapsed and only ``length``
    characters around the first match are kept, with "…" where text was cut."""
    text = text or ""
    if length is not None:
        text = " ".join(text.split())
    folded = "".join(_fold(char) for char in text)
    marked = bytearray(len(text))
    for term in _terms(q):
        start = folded.find(term)
        while start != -1:
            marked[start : start + len(term)] = b"\x01" * len(term)
            start = folded.find(term, start + 1)
    start, end = 0, len(text)
    if length is not None and len(text) > length:
        first = marked.find(1)
        start = max(0, first - length // 5) if first > 0 else 0
        end = min(len(text), start + length)
        start = max(0, end - length)
    parts = ["…"] if start > 0 else []
    position = start
    while position < end:
        flag = marked[position]
        stop = position
        while stop < end and marked[stop] == flag:
            stop += 1
        chunk = escape(text[position:stop])
        parts.append(f"<mark>{chunk}</mark>" if flag else chunk)
        position = stop
    if end < len(text):
        parts.append("…")
    return mark_safe("".join(parts))  # noqa: S308 - every piece went through escape()
