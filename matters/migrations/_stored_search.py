"""Operations that move a table's search vectors into stored columns (see 0006).

Frozen for migrations: change it only together with a new migration.
"""

from core.pg_operations import RunPostgreSQL


def stored_search_operations(table: str, *, title: str, body: str, old_index: str):
    vector = f"portal_search_vector({title}, {body})"
    title_vector = f"to_tsvector('simple'::regconfig, portal_bigrams({title}))"
    return [
        RunPostgreSQL(
            f"ALTER TABLE {table} "
            f"ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({vector}) STORED, "
            f"ADD COLUMN search_title tsvector GENERATED ALWAYS AS ({title_vector}) STORED;",
            f"ALTER TABLE {table} DROP COLUMN search_vector, DROP COLUMN search_title;",
        ),
        RunPostgreSQL(
            f"DROP INDEX IF EXISTS {old_index}; "
            f"CREATE INDEX {old_index} ON {table} USING gin (search_vector);",
            f"DROP INDEX IF EXISTS {old_index}; "
            f"CREATE INDEX {old_index} ON {table} USING gin ({vector});",
        ),
    ]
