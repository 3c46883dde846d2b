"""The search test set (``queries.py``): every expected item is found, for the general
office with drafts and opinions and for the public without them; nothing unpublished
ever shows. Precision is printed, not required."""

from django.contrib.auth.models import AnonymousUser
from django.db import connection

from search.sections import sections_for

from .corpus import HIDDEN, PUBLIC
from .queries import QUERIES


def found(corpus, user, q: str) -> set[str]:
    keys = set()
    for section in sections_for(user):
        for row in section.results(user=user, q=q):
            keys.add(corpus.key_of(section.code, row))
    return keys


def test_the_query_set_is_large_enough():
    assert len(QUERIES) >= 30
    assert len({q for q, _expected in QUERIES}) == len(QUERIES)


def test_every_expected_item_is_found_and_nothing_unpublished_leaks(corpus, capsys):
    missing, leaks, lines = [], [], []
    true_positives = returned = 0
    for q, expected in QUERIES:
        everything = found(corpus, corpus.office, q)
        public = found(corpus, AnonymousUser(), q)
        missing += [(q, key) for key in expected - everything]
        missing += [(q, key) for key in (expected & PUBLIC) - public]
        leaks += [(q, key) for key in everything & HIDDEN]
        leaks += [(q, key) for key in public - PUBLIC]
        hits = len(everything & expected)
        true_positives += hits
        returned += len(everything)
        precision = hits / len(everything) if everything else 1.0
        extra = ", ".join(sorted(everything - expected))
        lines.append(
            f"  {q:<12} expected {len(expected):>2}  found {len(everything):>2}  "
            f"precision {precision:6.1%}{'  extra: ' + extra if extra else ''}"
        )
    recall = 1 - len(missing) / max(sum(len(e) for _q, e in QUERIES), 1)
    with capsys.disabled():
        print(f"\nSearch test set on {connection.vendor}: {len(QUERIES)} queries")
        print("\n".join(lines))
        print(
            f"  recall {recall:.1%}; precision {true_positives / max(returned, 1):.1%} "
            f"({true_positives} of {returned} results expected)"
        )
    assert missing == []
    assert leaks == []
