"""Search on PostgreSQL: the index of suggestions and proposals (title, body).

The expression is the one ``proposals.selectors.proposals_matching`` queries; see
``core.search`` and matters/migrations/0005_search.py for the functions.
"""

from django.db import migrations

from core.pg_operations import RunPostgreSQL


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0001_initial"),
        ("matters", "0005_search"),
    ]

    operations = [
        RunPostgreSQL(
            "CREATE INDEX proposals_proposal_search ON proposals_proposal "
            "USING gin (portal_search_vector(title, body));",
            "DROP INDEX IF EXISTS proposals_proposal_search;",
        ),
    ]
