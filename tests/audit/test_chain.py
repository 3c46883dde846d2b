"""The security audit trail's hash chain: every row links to the one before it with a
keyed digest, and the verifier finds a changed, a deleted and an inserted row, and a
purge only where it says what it deleted."""

import datetime
import io
import itertools

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from audit import chain, services
from audit.models import ChainHead, Kind, SecurityEvent
from core import crypto

pytestmark = pytest.mark.django_db


def write(n: int, **fields) -> list[SecurityEvent]:
    return [
        services.record(Kind.LOGIN, username=f"user{i}", summary=f"登录{i}", **fields)
        for i in range(n)
    ]


def tamper(sql: str, params=()) -> None:
    """Change the table behind the model's back, as someone with database access could
    (on PostgreSQL, past the append-only trigger, as its owner could)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(sql, params)
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = DEFAULT")


def problems() -> list[str]:
    return [str(item) for item in services.verify()]


def test_an_untouched_trail_verifies_and_links_in_order():
    events = write(4)
    assert problems() == []
    assert [e.seq for e in events] == [1, 2, 3, 4]
    assert events[0].prev_hash == chain.GENESIS
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(events))
    assert ChainHead.objects.get().seq == 4
    call_command("verify_security_audit", stdout=io.StringIO())


def test_a_changed_row_is_found():
    events = write(3)
    tamper(
        "UPDATE audit_securityevent SET username = %s WHERE seq = %s", ["attacker", events[1].seq]
    )
    assert problems() == ["#2: 记录内容与其摘要不符（被修改或伪造）"]
    with pytest.raises(CommandError, match="发现1处断裂"):
        call_command("verify_security_audit", stderr=io.StringIO())


def test_a_deleted_row_is_found_in_the_middle_and_at_the_end():
    write(5)
    tamper("DELETE FROM audit_securityevent WHERE seq = 3")
    found = problems()
    assert "#4: 第3至3条记录缺失（被删除）" in found
    assert "#4: 与前一条记录不衔接（插入、删除或修改）" in found
    tamper("DELETE FROM audit_securityevent WHERE seq = 5")
    assert any("链尾应为第5条记录，实际为第4条" in item for item in problems())


def test_an_inserted_row_without_the_key_is_found(settings):
    events = write(2)
    forged = SecurityEvent(
        seq=3,
        at=timezone.now(),
        kind=Kind.LOGIN,
        outcome="success",
        username="ghost",
        summary="伪造的登录",
        prev_hash=events[-1].hash,
    )
    settings.PORTAL_AUDIT_KEY = "a key the attacker guessed"
    forged.hash = chain.digest(forged)
    settings.PORTAL_AUDIT_KEY = ""
    forged.save()  # inserted as a new row: the model allows that, not its hash
    found = problems()
    assert "#3: 记录内容与其摘要不符（被修改或伪造）" in found
    assert any("链尾应为第2条记录，实际为第3条" in item for item in found)


def test_sm3_and_sha256_rows_verify_side_by_side(settings):
    write(2)
    settings.PORTAL_AUDIT_HASH = "sm3"
    write(2)
    hashes = list(SecurityEvent.objects.order_by("seq").values_list("hash", flat=True))
    assert [chain.algorithm_of(value) for value in hashes] == ["sha256", "sha256", "sm3", "sm3"]
    assert all(len(value.split(":")[1]) == 64 for value in hashes)
    assert problems() == []


def test_hmac_sm3_matches_the_rfc_2104_construction():
    # GB/T 32905-2016's example: SM3("abc").
    assert crypto.sm3(b"abc").hex() == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )
    key, message = b"k" * 70, b"message"
    short_key = crypto.sm3(key)  # a key longer than a block is hashed first
    assert chain._hmac_sm3(key, message) == chain._hmac_sm3(short_key, message)
    assert chain._hmac_sm3(b"k1", message) != chain._hmac_sm3(b"k2", message)


def test_the_purge_keeps_six_months_and_anchors_what_remains(settings):
    settings.PORTAL_AUDIT_RETENTION_DAYS = 30  # below the legal minimum: 180 apply
    now = timezone.now()
    old = now - datetime.timedelta(days=200)
    for i in range(3):
        services.record(Kind.LOGIN, summary=f"旧{i}", at=old + datetime.timedelta(minutes=i))
    services.record(Kind.LOGIN, summary="近期", at=now - datetime.timedelta(days=170))
    assert services.purge(now=now) == 3
    assert services.purge(now=now) == 0
    kept = list(SecurityEvent.objects.order_by("seq").values_list("seq", "kind"))
    assert kept == [(4, Kind.LOGIN), (5, Kind.AUDIT_PURGED)]
    purge_row = SecurityEvent.objects.get(kind=Kind.AUDIT_PURGED)
    assert purge_row.detail["count"] == 3 and purge_row.detail["last_seq"] == 3
    assert problems() == []
    # Deleting the first kept row as well is not covered by any purge.
    tamper("DELETE FROM audit_securityevent WHERE seq = 4")
    assert "#5: 此前的记录缺失，且没有清理记录说明" in problems()


@pytest.mark.postgres
def test_postgresql_refuses_changes_and_early_deletes():
    from django.db import IntegrityError, InternalError, transaction

    event = services.record(Kind.LOGIN, summary="登录")
    for sql in (
        "UPDATE audit_securityevent SET summary = 'x' WHERE seq = %s",
        "DELETE FROM audit_securityevent WHERE seq = %s",
    ):
        with (
            pytest.raises((IntegrityError, InternalError)),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.seq])
    # Even a purge's transaction may not delete a row younger than 180 days.
    with (
        pytest.raises((IntegrityError, InternalError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT set_config('portal.audit_purge', 'on', true)")
        cursor.execute("DELETE FROM audit_securityevent WHERE seq = %s", [event.seq])
    assert SecurityEvent.objects.filter(seq=event.seq, summary="登录").exists()


def test_the_model_refuses_changes():
    event = services.record(Kind.LOGIN, summary="登录")
    event.summary = "改过"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
