"""Search on PostgreSQL, issue 9: the search vectors stored, not recomputed per row.

0005 indexed ``portal_search_vector(title, body)`` as an expression. The index finds the
matching rows, but ranking them recomputed the vector of every match (about 1 µs a
character): 3,500 matters matching 养老 at city scale took 420 ms to rank. Each searched
table now keeps its vectors in generated columns that PostgreSQL maintains on every
insert and update, and the GIN index moves to the stored column:

* ``search_vector``: ``portal_search_vector(title, body)``, what a query must match and
  what ``ts_rank`` reads;
* ``search_title``: the title's bigrams alone, for ranking title hits first.

Django does not know these columns (SQLite, the embedded default, has neither
``tsvector`` nor these functions); ``core.search`` names them in SQL when the
database is PostgreSQL. The operations (``_stored_search.py``, frozen) are shared with
the other apps' migrations for their tables.
"""

from django.db import migrations

from matters.migrations._stored_search import stored_search_operations

class Migration(migrations.Migration):
    dependencies = [
        ("matters", "0005_search"),
    ]

    operations = [
        *stored_search_operations(
            "matters_matter", title="title", body="summary", old_index="matters_matter_search"
        ),
        *stored_search_operations(
            "matters_draftversion",
            title="title",
            body="text",
            old_index="matters_draftversion_search",
        ),
    ]
