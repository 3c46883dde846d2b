"""Model fields whose values are encrypted in the database (``core.crypto``): the code
reads and writes clear text, the table holds ``enc1:…``.

Only what can be asked of ciphertext is offered: whether a value is empty (``exact`` with
"" and ``isnull``). Any other lookup raises, rather than silently matching nothing, so
equality goes through a keyed hash column (``core.crypto.lookup_hash``) instead.
"""

from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact, IsNull

from . import crypto


class EmptyOnlyExact(Exact):
    """``field=""``: a random nonce makes any other value unequal to what is stored."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise FieldError(
                f"{self.lhs.field.name} is encrypted: look it up by its keyed hash instead"
            )
        return super().get_prep_lookup()


class EncryptedCharField(models.CharField):
    """A ``CharField`` kept encrypted; ``max_length`` limits the clear text."""

    description = "Text encrypted at rest"

    def get_internal_type(self):
        return "TextField"  # the stored form is longer than the clear text

    def from_db_value(self, value, expression, connection):
        return value if not value else crypto.decrypt(value)

    def to_python(self, value):
        if crypto.is_encrypted(value):  # a serialized row (the site archive)
            return crypto.decrypt(value)
        return super().to_python(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value or crypto.is_encrypted(value):
            return value
        return crypto.encrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return EmptyOnlyExact
        if lookup_name == "isnull":
            return IsNull
        return None

    def value_to_string(self, obj):
        """Serialized (the site archive) encrypted, never in clear."""
        value = self.value_from_object(obj)
        return crypto.encrypt(value) if value else value


class EncryptedEmailField(EncryptedCharField, models.EmailField):
    description = "E-mail address encrypted at rest"


def encrypt_in_place(model, fields: list[str], *, batch: int = 500) -> int:
    """Encrypt (or re-encrypt under the current key and cipher) every stored value of the
    fields; returns how many rows changed. Used by data migrations (with the historical
    model) and by ``rotate_field_keys``. A value read in clear from before encryption, or
    under an older key, is written again through the field, which encrypts it now."""
    changed = 0
    table, pk = model._meta.db_table, model._meta.pk.column
    columns = [model._meta.get_field(name).column for name in fields]
    from django.db import connection

    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(pk)}, {', '.join(quote(c) for c in columns)} FROM {quote(table)}"  # noqa: S608 (names from the model's meta)
        )
        stale = [
            (row[0], row[1:])
            for row in cursor.fetchall()
            if any(value and not crypto.is_current(value) for value in row[1:])
        ]
    for start in range(0, len(stale), batch):
        for key, values in stale[start : start + batch]:
            clear = {
                name: crypto.decrypt(value) if value else value
                for name, value in zip(fields, values, strict=True)
            }
            model._base_manager.filter(pk=key).update(**clear)
            changed += 1
    return changed


def store_in_clear(model, fields: list[str]) -> None:
    """The reverse of ``encrypt_in_place``, for a migration taken back: the columns hold
    clear text again (written with SQL, past the field's encryption)."""
    from django.db import connection

    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    columns = [model._meta.get_field(name).column for name in fields]
    assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
    with connection.cursor() as cursor:
        for row in model._base_manager.values("pk", *fields):
            cursor.execute(
                f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # noqa: S608 (names from the model's meta)
                [*(row[name] for name in fields), row["pk"]],
            )
