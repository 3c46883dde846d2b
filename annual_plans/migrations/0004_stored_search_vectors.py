"""Catalog items keep their search vectors in stored columns (matters 0006 says why)."""

from django.db import migrations

from matters.migrations import _stored_search

STORED = _stored_search.stored_search_operations


class Migration(migrations.Migration):
    dependencies = [
        ("annual_plans", "0003_search"),
        ("matters", "0006_stored_search_vectors"),
    ]

    operations = [
        *STORED(
            "annual_plans_planitem",
            title="title",
            body="responsible_office",
            old_index="annual_plans_planitem_search",
        ),
    ]
