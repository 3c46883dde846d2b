"""The ledger is append-only in PostgreSQL itself (migration matters 0009): raw SQL that
goes around ``LedgerEntry`` cannot rewrite or erase a row, but can still insert."""

import pytest
from django.db import DatabaseError, connection, transaction

from matters.models import LedgerEntry
from tests.factories import make_matter

pytestmark = [
    pytest.mark.django_db,
    # The append-only trigger exists only on PostgreSQL; SQLite relies on the model.
    pytest.mark.postgres,
]

TABLE = LedgerEntry._meta.db_table


@pytest.fixture
def entry():
    make_matter()
    return LedgerEntry.objects.get(action=LedgerEntry.Action.MATTER_CREATED)


def _raw(sql, params=()):
    # A savepoint: the refused statement aborts only itself, not the test's transaction.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def test_raw_update_of_a_ledger_row_is_refused_by_the_database(entry):
    with pytest.raises(DatabaseError, match="append-only: UPDATE of ledger row"):
        _raw("UPDATE matters_ledgerentry SET summary = %s WHERE id = %s", ["改写的历史", entry.pk])

    assert LedgerEntry.objects.get(pk=entry.pk).summary == entry.summary


def test_raw_delete_of_a_ledger_row_is_refused_by_the_database(entry):
    with pytest.raises(DatabaseError, match="append-only: DELETE of ledger row"):
        _raw("DELETE FROM matters_ledgerentry WHERE id = %s", [entry.pk])

    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


def test_base_manager_delete_is_refused_too(entry):
    # The collector deletes through _base_manager, which the Python queryset guard misses.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LedgerEntry._base_manager.filter(pk=entry.pk)._raw_delete(connection.alias)

    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


def test_raw_insert_into_the_ledger_works(entry):
    inserted = _raw(
        "INSERT INTO matters_ledgerentry (department_id, object_type, object_id, action, summary,"
        " before, after, created_at)"
        " VALUES (%s, 'matter', %s, 'matter_updated', %s, '{}', '{}', now())",
        [entry.department_id, entry.object_id, "直接插入的台账记录"],
    )

    assert inserted == 1
    assert LedgerEntry.objects.filter(summary="直接插入的台账记录").count() == 1


def test_the_trigger_is_a_before_row_trigger_on_update_and_delete_only(entry):
    # Row triggers never fire on TRUNCATE, which pytest-django's flush relies on
    # (tests/portal/test_archive.py flushes a database full of ledger rows).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT event_manipulation, action_timing, action_orientation"
            " FROM information_schema.triggers"
            " WHERE event_object_table = %s AND trigger_name = 'matters_ledger_append_only'",
            [TABLE],
        )
        rows = cursor.fetchall()

    assert sorted(rows) == [("DELETE", "BEFORE", "ROW"), ("UPDATE", "BEFORE", "ROW")]
