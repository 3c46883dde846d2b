"""Search finds a matter by the names of its policy areas (issue 21, item 12).

A search for 养老 found only matters whose title or summary held the word, not those
tagged with the area 养老. Matching the tags through a subquery on the link table, OR-ed
with the vector match, takes the GIN index out of the plan, so the names are copied onto
the matter instead: ``area_names`` (one a line, kept by the services that set the areas)
joins ``search_vector`` with the body's weight, B, and the one GIN index (and the partial
one of published matters, 0007) still answers every search. The title's own vector,
``search_title``, is unchanged: an area hit ranks as a body hit, below title hits.

PostgreSQL 15 cannot change a generated column's expression, so ``search_vector`` is
dropped (its indexes with it), the names filled in, and the column added again with the
new expression; the table is rewritten once.
"""

from django.db import migrations, models

from core.pg_operations import RunPostgreSQL

OLD_VECTOR = "portal_search_vector(title, summary)"
NEW_VECTOR = (
    "portal_search_vector(title, summary) "
    "|| setweight(to_tsvector('simple'::regconfig, portal_bigrams(area_names)), 'B')"
)


def add_vector(expression: str) -> str:
    return (
        "ALTER TABLE matters_matter ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS ({expression}) STORED; "
        "CREATE INDEX matters_matter_search ON matters_matter USING gin (search_vector); "
        "CREATE INDEX matters_matter_search_published ON matters_matter "
        "USING gin (search_vector) WHERE is_published;"
    )


DROP_VECTOR = "ALTER TABLE matters_matter DROP COLUMN search_vector;"  # and its indexes

FILL_SQL = """
UPDATE matters_matter AS m SET area_names = found.names
FROM (
    SELECT l.matter_id, string_agg(a.name, E'\\n' ORDER BY a.sort_order, a.code) AS names
    FROM matters_matter_policy_areas AS l
    JOIN matters_policyarea AS a ON a.id = l.policyarea_id
    GROUP BY l.matter_id
) AS found
WHERE m.id = found.matter_id
"""


def fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FILL_SQL)
        return
    Matter = apps.get_model("matters", "Matter")
    matters = list(Matter.objects.only("pk").prefetch_related("policy_areas"))
    for matter in matters:
        areas = sorted(matter.policy_areas.all(), key=lambda a: (a.sort_order, a.code))
        matter.area_names = "\n".join(area.name for area in areas)
    Matter.objects.bulk_update(matters, ["area_names"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("matters", "0010_explicit_times"),
    ]

    operations = [
        migrations.AddField(
            model_name="matter",
            name="area_names",
            field=models.TextField(
                blank=True,
                db_default="",
                default="",
                editable=False,
                verbose_name="政策领域名称",
            ),
        ),
        # Without the vector while the names are written, so no row's is computed twice.
        RunPostgreSQL(DROP_VECTOR, add_vector(OLD_VECTOR)),
        migrations.RunPython(fill, migrations.RunPython.noop),
        RunPostgreSQL(add_vector(NEW_VECTOR), DROP_VECTOR),
    ]
