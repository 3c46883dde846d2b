"""Search on PostgreSQL: a second index on the stored vector of published matters only.

The public searches published matters. With one index on every matter's vector, the
planner ANDed it with the 70,000 entries of the ``is_published`` index (16 ms at city
scale) to drop the unpublished few; the partial index answers the public query alone.
Staff searches (which include their unpublished matters) keep the full index.
"""

from django.db import migrations

from core.pg_operations import RunPostgreSQL


class Migration(migrations.Migration):
    dependencies = [
        ("matters", "0006_stored_search_vectors"),
    ]

    operations = [
        RunPostgreSQL(
            "CREATE INDEX matters_matter_search_published ON matters_matter "
            "USING gin (search_vector) WHERE is_published;",
            "DROP INDEX IF EXISTS matters_matter_search_published;",
        ),
    ]
