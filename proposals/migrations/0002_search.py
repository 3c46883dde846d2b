"""Search on PostgreSQL: suggestions and proposals keep their search vectors (title, body)
in stored columns with a GIN index, as matters do (matters/migrations/0006 says why:
ranking the many items a common word such as 养老 matches would otherwise recompute the
bigrams of every match). ``proposals.selectors.proposals_matching`` searches them."""

from django.db import migrations

from matters.migrations import _stored_search

STORED = _stored_search.stored_search_operations


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0001_initial"),
        ("matters", "0006_stored_search_vectors"),
    ]

    operations = [
        *STORED(
            "proposals_proposal",
            title="title",
            body="body",
            old_index="proposals_proposal_search",
        ),
    ]
