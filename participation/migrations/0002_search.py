"""Search on PostgreSQL: the indexes of activities (title, agenda), feedback reports
(period title, report summary) and opinions (content alone, with an empty title).

The expressions are the ones ``participation.selectors`` query (``activities_matching``,
``feedback_reports_matching``, ``opinions_matching``); see ``core.search`` and
matters/migrations/0005_search.py for the functions.
"""

from django.db import migrations

from core.pg_operations import RunPostgreSQL


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0001_initial"),
        ("matters", "0005_search"),
    ]

    operations = [
        RunPostgreSQL(
            "CREATE INDEX participation_activity_search ON participation_activity "
            "USING gin (portal_search_vector(title, agenda));",
            "DROP INDEX IF EXISTS participation_activity_search;",
        ),
        RunPostgreSQL(
            "CREATE INDEX participation_commentperiod_search ON participation_commentperiod "
            "USING gin (portal_search_vector(title, report_summary));",
            "DROP INDEX IF EXISTS participation_commentperiod_search;",
        ),
        RunPostgreSQL(
            "CREATE INDEX participation_opinion_search ON participation_opinion "
            "USING gin (portal_search_vector('', content));",
            "DROP INDEX IF EXISTS participation_opinion_search;",
        ),
    ]
