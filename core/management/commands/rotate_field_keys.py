"""Re-encrypt every encrypted field under the current key and cipher, and recompute the
keyed hashes beside them (``<field>_digest``).

Rotating a key: put a new ``id:base64`` first in ``PORTAL_FIELD_KEYS`` (``--new-key``
prints one), keep the old one after it, restart, run this, then drop the old key. Leaving
the key derived from ``SECRET_KEY`` (the default): ``--derived-key`` prints it as the old
entry to keep.
Changing ``PORTAL_FIELD_CIPHER`` or ``PORTAL_FIELD_HASH_KEY`` is done the same way. Safe to
run again: values already current are left alone.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from core import crypto
from core.encrypted_fields import EncryptedCharField, encrypt_in_place

# A digest column of this prefix holds a value written in place of a phone (anonymised):
# it is its own digest, never a hash.
ANONYMISED_PREFIX = "已删除-"


def encrypted_fields() -> dict:
    found = {}
    for model in apps.get_models():
        names = [f.name for f in model._meta.get_fields() if isinstance(f, EncryptedCharField)]
        if names:
            found[model] = names
    return found


class Command(BaseCommand):
    help = "Re-encrypt personal data under the current key (PORTAL_FIELD_KEYS) and cipher."

    def add_arguments(self, parser):
        parser.add_argument(
            "--new-key", action="store_true", help="print a new random key and stop"
        )
        parser.add_argument(
            "--derived-key",
            action="store_true",
            help="print the key used while PORTAL_FIELD_KEYS is unset, as an entry for it",
        )

    def handle(self, *args, new_key=False, derived_key=False, **options):
        if new_key:
            self.stdout.write(crypto.new_key_text())
            return
        if derived_key:
            self.stdout.write(crypto.derived_key_text())
            return
        ring = crypto.keyring()
        total = 0
        for model, names in encrypted_fields().items():
            with transaction.atomic():
                changed = encrypt_in_place(model, names)
                digests = self._digests(model, names)
            total += changed
            self.stdout.write(
                f"{model._meta.label}: {changed} rows re-encrypted, {digests} keyed hashes updated"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{total} rows now under key {ring.current!r} ({crypto.cipher_name()})"
            )
        )

    @staticmethod
    def _digests(model, names) -> int:
        updated = 0
        for name in names:
            digest = f"{name}_digest"
            if not any(f.name == digest for f in model._meta.get_fields()):
                continue
            for key, value, stored in model._base_manager.values_list("pk", name, digest):
                wanted = value if value.startswith(ANONYMISED_PREFIX) else crypto.lookup_hash(value)
                if wanted != stored:
                    model._base_manager.filter(pk=key).update(**{digest: wanted})
                    updated += 1
        return updated
