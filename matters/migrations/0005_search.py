"""Search on PostgreSQL: the bigram functions and the indexes of matters and drafts.

``portal_bigrams(text)`` cuts text into overlapping two-character tokens: it normalises
(NFKC: full-width letters and digits become ASCII), lower-cases, splits into runs of
word characters (any other character - space, punctuation of any script, symbol - ends
a run) and emits every two-character window of each run, a one-character run as itself:
“养老服务”，2026年 → 养老 老服 服务 20 02 26 6年.

The default text-search parser keeps a run of CJK characters as one word (养老服务 stays
whole, and under the C locale it would glue “ or 《 to it too), so it cannot segment
Chinese; given tokens already cut and separated by single spaces it returns exactly those
tokens, whatever the cluster's locale, and the query side (``plainto_tsquery`` of the same
``portal_bigrams``) goes through the same parser, so both sides always agree.

The functions use the SQL-standard body (PostgreSQL 14+): it is parsed once, here, and
binds ``portal_bigrams`` by identity rather than by name, so an index built on them
restores and rebuilds under any ``search_path`` (pg_dump restores with an empty one).

Cost: about 1 µs per character of text, linear (a long run is cut, see ``LONG_RUN``). The
planner's estimate of the function's query (about 30 000) stays below the default
``jit_above_cost`` (100 000): one more nested set-returning function would cross it and
JIT-compile every call (a quarter of a second each); keep it flat.

Only PostgreSQL runs this; on SQLite it does nothing and search falls back to containment.
"""

from django.db import migrations

from core.pg_operations import RunPostgreSQL

# Frozen copy of core.search.WORD_RANGES, as code points.
WORD_RANGES = (
    (0x30, 0x39),
    (0x61, 0x7A),
    (0xC0, 0xD6),
    (0xD8, 0xF6),
    (0xF8, 0x24F),
    (0x370, 0x3FF),
    (0x400, 0x4FF),
    (0x3007, 0x3007),
    (0x3041, 0x3096),
    (0x30A1, 0x30FA),
    (0x30FC, 0x30FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
    (0x20000, 0x2FA1F),
)
WORD_CLASS = "".join(
    chr(first) if first == last else f"{chr(first)}-{chr(last)}" for first, last in WORD_RANGES
)
SEPARATORS = f"[^{WORD_CLASS}]+"
# Cuts a run longer than 64 characters into pieces of about 64 that overlap by one
# character, so no bigram is lost: substr() on UTF-8 walks from the start of its string,
# and one long run (a text without punctuation) would otherwise cost quadratic time.
LONG_RUN = f"([{WORD_CLASS}]{{63}})([{WORD_CLASS}])(?=[{WORD_CLASS}])"

FUNCTIONS = f"""
CREATE FUNCTION portal_bigrams(document text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (
    SELECT coalesce(
        string_agg(
            CASE WHEN length(run) = 1 THEN run ELSE substr(run, i, 2) END,
            ' ' ORDER BY n, i
        ),
        ''
    )
    FROM regexp_split_to_table(
             regexp_replace(
                 lower(normalize(coalesce(document, ''), NFKC)), '{LONG_RUN}', '\\1\\2 \\2', 'g'
             ),
             '{SEPARATORS}'
         ) WITH ORDINALITY AS runs(run, n)
         CROSS JOIN LATERAL generate_series(1, greatest(length(run) - 1, 1)) AS i
    WHERE run <> ''
);

COMMENT ON FUNCTION portal_bigrams(text) IS
    'Overlapping two-character tokens of the text, space-separated (portal search).';

CREATE FUNCTION portal_search_vector(title text, body text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN setweight(to_tsvector('simple'::regconfig, portal_bigrams(title)), 'A')
    || setweight(to_tsvector('simple'::regconfig, portal_bigrams(left(body, 20000))), 'B');

COMMENT ON FUNCTION portal_search_vector(text, text) IS
    'Bigram search vector: title weighted A, the first 20000 characters of body B.';
"""

DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS portal_search_vector(text, text);
DROP FUNCTION IF EXISTS portal_bigrams(text);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("matters", "0004_ledger_action_registry"),
    ]

    operations = [
        RunPostgreSQL(FUNCTIONS, DROP_FUNCTIONS),
        RunPostgreSQL(
            "CREATE INDEX matters_matter_search ON matters_matter "
            "USING gin (portal_search_vector(title, summary));",
            "DROP INDEX IF EXISTS matters_matter_search;",
        ),
        RunPostgreSQL(
            "CREATE INDEX matters_draftversion_search ON matters_draftversion "
            "USING gin (portal_search_vector(title, text));",
            "DROP INDEX IF EXISTS matters_draftversion_search;",
        ),
    ]
