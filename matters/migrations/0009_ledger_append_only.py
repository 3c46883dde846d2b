"""The ledger is append-only in the database itself, not only in ``LedgerEntry``.

``LedgerEntry.save()``/``delete()`` and its queryset refuse changes, but raw SQL, a
``_base_manager`` query or another client could still rewrite history. On PostgreSQL a
row trigger now refuses every UPDATE and DELETE of ``matters_ledgerentry``. TRUNCATE is
a statement, not a row change, and stays possible: test databases are flushed with it.
SQLite, the embedded default, is left alone (the operation does nothing there).
"""

from django.db import migrations

from core.pg_operations import RunPostgreSQL

FORWARD = """
CREATE FUNCTION matters_ledger_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'matters_ledgerentry is append-only: % of ledger row % refused',
        TG_OP, OLD.id
        USING ERRCODE = 'integrity_constraint_violation',
              HINT = 'Ledger rows are only ever inserted; record a new row instead.';
END;
$$;

CREATE TRIGGER matters_ledger_append_only
    BEFORE UPDATE OR DELETE ON matters_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION matters_ledger_refuse_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS matters_ledger_append_only ON matters_ledgerentry;
DROP FUNCTION IF EXISTS matters_ledger_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("matters", "0008_list_indexes"),
    ]

    operations = [RunPostgreSQL(FORWARD, BACKWARD)]
