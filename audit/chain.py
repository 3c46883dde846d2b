"""The hash chain of the security audit trail (数据完整性).

Each row's ``hash`` is a keyed digest (HMAC) of its own fields and of ``prev_hash``, the
hash of the row before it: a changed row no longer matches its hash, a deleted one leaves a
gap in the numbers and a link that does not join, and a row written into the table by hand
cannot carry a valid hash without the key, which is kept outside the database
(``PORTAL_AUDIT_KEY``). The digest is HMAC-SHA-256 or HMAC-SM3 (GB/T 32905-2016, through
``gmssl``), chosen by ``PORTAL_AUDIT_HASH``; each hash says which (``sha256:…``,
``sm3:…``), so a trail keeps verifying after the setting changes.
"""

import datetime
import hashlib
import hmac
import json

from django.conf import settings

from core import crypto

GENESIS = "genesis"
FIELDS = (
    "seq",
    "at",
    "kind",
    "outcome",
    "actor_id",
    "username",
    "address",
    "method",
    "path",
    "target_type",
    "target_id",
    "summary",
    "detail",
    "prev_hash",
)


def _hmac_sm3(key: bytes, message: bytes) -> str:
    return crypto.hmac_sm3(key, message).hex()


ALGORITHMS = {
    "sha256": lambda key, message: hmac.new(key, message, hashlib.sha256).hexdigest(),
    "sm3": _hmac_sm3,
}


def audit_key() -> bytes:
    """``PORTAL_AUDIT_KEY``, or one derived from ``SECRET_KEY`` when it is not set."""
    if settings.PORTAL_AUDIT_KEY:
        return settings.PORTAL_AUDIT_KEY.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"security-audit-chain", hashlib.sha256).digest()


def canonical(event) -> bytes:
    """The bytes a row's hash is taken of: its fields in a fixed order, the time in UTC
    to the microsecond, JSON with sorted keys."""
    values = {name: getattr(event, name) for name in FIELDS}
    values["at"] = values["at"].astimezone(datetime.UTC).isoformat(timespec="microseconds")
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def digest(event, algorithm: str | None = None) -> str:
    algorithm = algorithm or settings.PORTAL_AUDIT_HASH
    return f"{algorithm}:{ALGORITHMS[algorithm](audit_key(), canonical(event))}"


def algorithm_of(value: str) -> str:
    return value.split(":", 1)[0]
