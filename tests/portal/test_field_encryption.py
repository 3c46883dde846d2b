"""Personal contacts encrypted at rest (issue 28 item 4): AES-GCM and SM4 round trips,
tampering refused, no contact stored in clear (read with raw SQL), the duplicate check on
a keyed hash, key and cipher rotation by command, and the site archive never in clear."""

import base64
import io
import zipfile

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from calls import services as calls
from core import crypto
from participation.models import Opinion, Participant, Registration
from participation.services import registrations
from tests.factories import StaffFactory, make_call, make_participant, make_period
from tests.participation.test_registrations_flow import _activity

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
EMAIL = "li.private@example.cn"
OPINION_CONTACT = "微信 li-private-2026"
PROPOSER_CONTACT = "0532-86661234"
KEY_A = "ka:" + base64.b64encode(bytes(range(32))).decode()
KEY_B = "kb:" + base64.b64encode(bytes(range(32, 64))).decode()


def raw(table: str, columns: list[str]) -> list[tuple]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table)}")  # noqa: S608
        return cursor.fetchall()


@pytest.fixture
def people():
    """A registry entry, a hearing registrant, a commenter and a proposer, with contacts."""
    staff = StaffFactory()
    participant = make_participant(by=staff, name="李专家", phone=PHONE, email=EMAIL)
    registration = registrations.registration_create(
        activity=_activity(staff=staff),
        name="王市民",
        phone=PHONE,
        email=EMAIL,
        position="support",
    )
    period = make_period(by=staff)
    opinion = Opinion.objects.create(
        period=period,
        matter=period.matter,
        channel="online",
        content="建议延长征求意见期",
        contact=OPINION_CONTACT,
        received_on=timezone.localdate(),
    )
    submission = calls.submission_submit(
        call=make_call(by=staff),
        title="建议增设社区食堂",
        reasons="老年人就餐不便",
        author_name="赵居民",
        contact=PROPOSER_CONTACT,
    )
    return participant, registration, opinion, submission


STORED = [
    ("participation_participant", ["phone", "email"]),
    ("participation_registration", ["phone", "email"]),
    ("participation_opinion", ["contact"]),
    ("calls_submission", ["contact"]),
]


def stored_values() -> list[str]:
    return [value for table, columns in STORED for row in raw(table, columns) for value in row]


# ----------------------------------------------------------------------------- at rest


def test_no_contact_is_stored_in_clear(people):
    values = stored_values()
    assert len(values) == 6
    assert all(value.startswith("enc1:aes-gcm:k0:") for value in values), values
    dump = " ".join(values)
    for clear in (PHONE, EMAIL, OPINION_CONTACT, PROPOSER_CONTACT, "13912", "private"):
        assert clear not in dump
    # Equal phones do not look equal: each value has its own nonce.
    participant_phone = raw("participation_participant", ["phone"])[0][0]
    registration_phone = raw("participation_registration", ["phone"])[0][0]
    assert participant_phone != registration_phone


def test_the_code_reads_clear_text(people):
    participant, registration, opinion, submission = people
    assert Participant.objects.get(pk=participant.pk).phone == PHONE
    assert Registration.objects.values_list("email", flat=True).get(pk=registration.pk) == EMAIL
    assert Opinion.objects.get(pk=opinion.pk).contact == OPINION_CONTACT
    submission.refresh_from_db()
    assert submission.contact == PROPOSER_CONTACT


def test_lookups_on_ciphertext_are_refused_not_silently_empty(people):
    assert Participant.objects.exclude(email="").count() == 1  # empty or not: allowed
    with pytest.raises(FieldError, match="encrypted"):
        list(Participant.objects.filter(phone=PHONE))
    with pytest.raises(FieldError):
        list(Participant.objects.filter(email__icontains="private"))


def test_one_registration_per_phone_still_holds(people):
    _participant, registration, _opinion, _submission = people
    with pytest.raises(registrations.DuplicateRegistration):
        registrations.registration_create(
            activity=registration.activity,
            name="王市民",
            phone="139 1234 5678",
            position="oppose",
        )
    copy = Registration(
        activity=registration.activity, name="又一位", phone=PHONE, position="other"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()  # the database refuses it too, on the keyed hash


# ----------------------------------------------------------------------------- ciphers


@pytest.mark.parametrize("cipher", crypto.CIPHERS)
def test_round_trip_and_tampering(settings, cipher):
    settings.PORTAL_FIELD_CIPHER = cipher
    settings.PORTAL_FIELD_KEYS = KEY_A
    stored = crypto.encrypt("联系电话 13800000000")
    assert stored.startswith(f"enc1:{cipher}:ka:")
    assert crypto.decrypt(stored) == "联系电话 13800000000"
    assert crypto.encrypt("same") != crypto.encrypt("same")
    header, payload = stored.rsplit(":", 1)
    data = bytearray(base64.b64decode(payload))
    data[len(data) // 2] ^= 1
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(f"{header}:{base64.b64encode(bytes(data)).decode()}")
    # The key id is authenticated with the value: relabelled, it no longer opens.
    settings.PORTAL_FIELD_KEYS = f"{KEY_A},kb:{KEY_A.split(':', 1)[1]}"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(stored.replace(":ka:", ":kb:"))


def test_sm4_is_the_standard_cipher():
    """SM4 on the GB/T 32907-2016 example (key = plain = 0123456789abcdeffedcba9876543210)."""
    from gmssl.sm4 import SM4_ENCRYPT, CryptSM4

    block = bytes.fromhex("0123456789abcdeffedcba9876543210")
    cipher = CryptSM4()
    cipher.set_key(block, SM4_ENCRYPT)
    assert cipher.crypt_ecb(block)[:16].hex() == "681edf34d206965e86b3e94f536e4246"


def test_an_unknown_key_is_an_error_not_garbage(settings):
    settings.PORTAL_FIELD_KEYS = KEY_A
    stored = crypto.encrypt("x")
    settings.PORTAL_FIELD_KEYS = KEY_B
    with pytest.raises(crypto.DecryptionError, match="no key 'ka'"):
        crypto.decrypt(stored)


# ----------------------------------------------------------------------------- rotation


def test_rotation_moves_every_value_to_the_new_key_and_cipher(settings, people):
    # Off the default key derived from SECRET_KEY, kept as the old entry to read with.
    derived = io.StringIO()
    call_command("rotate_field_keys", "--derived-key", stdout=derived)
    settings.PORTAL_FIELD_KEYS = f"{KEY_A},{derived.getvalue().strip()}"
    call_command("rotate_field_keys", stdout=io.StringIO())
    assert all(v.startswith("enc1:aes-gcm:ka:") for v in stored_values())
    settings.PORTAL_FIELD_KEYS = KEY_A
    # A new key first, the old one kept to read; SM4 from now on; a new lookup-hash key.
    settings.PORTAL_FIELD_KEYS = f"{KEY_B},{KEY_A}"
    settings.PORTAL_FIELD_CIPHER = "sm4"
    settings.PORTAL_FIELD_HASH = "sm3"
    settings.PORTAL_FIELD_HASH_KEY = "a-new-lookup-key"
    out = io.StringIO()
    call_command("rotate_field_keys", stdout=out)
    assert "4 rows now under key 'kb' (sm4)" in out.getvalue()  # one row of each model
    assert all(v.startswith("enc1:sm4:kb:") for v in stored_values())
    # The old key can go.
    settings.PORTAL_FIELD_KEYS = KEY_B
    participant, registration, opinion, _submission = people
    assert Participant.objects.get(pk=participant.pk).email == EMAIL
    assert Opinion.objects.get(pk=opinion.pk).contact == OPINION_CONTACT
    stored_digest = Registration.objects.get(pk=registration.pk).phone_digest
    assert stored_digest == crypto.lookup_hash(PHONE) and stored_digest.startswith("sm3:")
    with pytest.raises(registrations.DuplicateRegistration):
        registrations.registration_create(
            activity=registration.activity, name="王市民", phone=PHONE, position="oppose"
        )
    # Run again: nothing left to do.
    again = io.StringIO()
    call_command("rotate_field_keys", stdout=again)
    assert "0 rows re-encrypted, 0 keyed hashes updated" in again.getvalue()


def test_values_from_before_encryption_are_read_and_then_encrypted(people):
    _participant, registration, _opinion, _submission = people
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE participation_registration SET email = %s WHERE id = %s",
            ["old.clear@example.cn", registration.pk],
        )
    assert Registration.objects.get(pk=registration.pk).email == "old.clear@example.cn"
    call_command("rotate_field_keys", stdout=io.StringIO())
    assert raw("participation_registration", ["email"])[0][0].startswith("enc1:")
    assert Registration.objects.get(pk=registration.pk).email == "old.clear@example.cn"


# ----------------------------------------------------------------------------- archive


def test_the_site_archive_carries_contacts_encrypted(people, tmp_path):
    from ops.archive import archive_export

    result = archive_export(directory=tmp_path)
    with zipfile.ZipFile(result.path) as archive:
        text = " ".join(
            archive.read(name).decode()
            for name in archive.namelist()
            if name.startswith("data/") and ("participation" in name or "calls" in name)
        )
    for clear in (PHONE, EMAIL, OPINION_CONTACT, PROPOSER_CONTACT):
        assert clear not in text
    assert "enc1:" in text
