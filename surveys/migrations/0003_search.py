"""Search on PostgreSQL: surveys keep their search vectors (title, introduction) in stored
columns with a GIN index, as matters and proposals do (matters/migrations/0006 says why).
``surveys.search.surveys_matching`` searches them."""

from django.db import migrations

from matters.migrations import _stored_search

STORED = _stored_search.stored_search_operations


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0002_offline_records"),
        ("matters", "0006_stored_search_vectors"),
    ]

    operations = [
        *STORED(
            "surveys_survey",
            title="title",
            body="introduction",
            old_index="surveys_survey_search",
        ),
    ]
