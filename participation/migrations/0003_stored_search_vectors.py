"""Activities and feedback reports keep their search vectors in stored columns (matters
0006 says why). Opinions keep the expression index: only staff search them, one comment
period at a time, and storing vectors for every opinion would double the table."""

from django.db import migrations

from matters.migrations import _stored_search

STORED = _stored_search.stored_search_operations


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0002_search"),
        ("matters", "0006_stored_search_vectors"),
    ]

    operations = [
        *STORED(
            "participation_activity",
            title="title",
            body="agenda",
            old_index="participation_activity_search",
        ),
        *STORED(
            "participation_commentperiod",
            title="title",
            body="report_summary",
            old_index="participation_commentperiod_search",
        ),
    ]
