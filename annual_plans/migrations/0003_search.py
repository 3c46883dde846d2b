"""Search on PostgreSQL: the index of catalog items (title, responsible office).

The expression is the one ``annual_plans.selectors.items_matching`` queries; see
``core.search`` and matters/migrations/0005_search.py for the functions.
"""

from django.db import migrations

from core.pg_operations import RunPostgreSQL


class Migration(migrations.Migration):
    dependencies = [
        ("annual_plans", "0002_role_permissions"),
        ("matters", "0005_search"),
    ]

    operations = [
        RunPostgreSQL(
            "CREATE INDEX annual_plans_planitem_search ON annual_plans_planitem "
            "USING gin (portal_search_vector(title, responsible_office));",
            "DROP INDEX IF EXISTS annual_plans_planitem_search;",
        ),
    ]
