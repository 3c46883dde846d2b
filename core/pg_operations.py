"""A migration operation for SQL that only PostgreSQL runs (search functions and indexes).

The embedded default is SQLite, which has neither ``tsvector`` nor expression GIN
indexes; there the operation does nothing, both ways.
"""

from django.db import migrations


class RunPostgreSQL(migrations.RunSQL):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return "Raw SQL operation (PostgreSQL only)"
