"""Field encryption of personal data at rest (数据保密性, GB/T 22239-2019 level 3; GB/T
39786-2021 for the 国密 choice), and keyed hashes for the lookups that need equality.

- **Ciphers.** AES-256-GCM (``cryptography``) or SM4-CBC with an HMAC-SM3 tag,
  encrypt-then-MAC (``gmssl``; SM4 in GB/T 32907-2016, SM3 in GB/T 32905-2016), chosen by
  ``PORTAL_FIELD_CIPHER`` (``aes-gcm`` or ``sm4``). Each value carries a fresh random
  nonce, so equal contacts never look equal in the database.
- **Keys** come from ``PORTAL_FIELD_KEYS``, outside the database: ``id:base64`` pairs, the
  first encrypting, all of them decrypting, so a new key is put first and
  ``manage.py rotate_field_keys`` re-encrypts every value under it, after which the old
  one can go. Unset, one key is derived from ``SECRET_KEY`` (a deploy check warns).
- **A stored value** reads ``enc1:<cipher>:<key id>:<base64>``; the cipher and key id are
  authenticated with it. A value without the prefix is one from before encryption, read
  as it is until the rotation command encrypts it.
- **Lookups** that need equality (a phone already registered) use ``lookup_hash``: HMAC-SHA-256
  or HMAC-SM3 (``PORTAL_FIELD_HASH``) with ``PORTAL_FIELD_HASH_KEY``.
"""

import base64
import binascii
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "enc1"
CIPHERS = ("aes-gcm", "sm4")
BLOCK = 64  # SHA-256's and SM3's block, in bytes


class DecryptionError(ValueError):
    """A stored value that no configured key opens, or that was changed."""


# -- SM3 and its HMAC -------------------------------------------------------------------


def sm3(data: bytes) -> bytes:
    from gmssl import func
    from gmssl import sm3 as gm_sm3

    return bytes.fromhex(gm_sm3.sm3_hash(func.bytes_to_list(data)))


def hmac_sm3(key: bytes, message: bytes) -> bytes:
    """HMAC (RFC 2104) over SM3, which ``hmac`` cannot take as a digest."""
    if len(key) > BLOCK:
        key = sm3(key)
    key = key.ljust(BLOCK, b"\0")
    inner = sm3(bytes(byte ^ 0x36 for byte in key) + message)
    return sm3(bytes(byte ^ 0x5C for byte in key) + inner)


def keyed_digest(algorithm: str, key: bytes, message: bytes) -> bytes:
    if algorithm == "sm3":
        return hmac_sm3(key, message)
    if algorithm == "sha256":
        return hmac.new(key, message, hashlib.sha256).digest()
    raise ImproperlyConfigured(f"Unknown keyed hash {algorithm!r}: sha256 or sm3")


# -- keys -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Keyring:
    current: str
    keys: dict[str, bytes]


def _derived(purpose: bytes) -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), purpose, hashlib.sha256).digest()


@cache
def _parse(value: str, secret_key: str) -> Keyring:
    if not value:
        return Keyring("k0", {"k0": _derived(b"field-encryption")})
    keys = {}
    for part in value.split(","):
        key_id, _sep, material = part.strip().partition(":")
        try:
            raw = base64.b64decode(material, validate=True)
        except binascii.Error as error:
            raise ImproperlyConfigured(
                f"PORTAL_FIELD_KEYS: key {key_id!r} is not base64"
            ) from error
        if not key_id or len(raw) != 32:
            raise ImproperlyConfigured(
                "PORTAL_FIELD_KEYS: each key is id:base64 of 32 random bytes"
            )
        keys[key_id] = raw
    return Keyring(next(iter(keys)), keys)


def keyring() -> Keyring:
    return _parse(settings.PORTAL_FIELD_KEYS, settings.SECRET_KEY)


def derived_key_text() -> str:
    """The key used while ``PORTAL_FIELD_KEYS`` is unset, as an entry for it (``k0:…``):
    listing it after a new key lets ``rotate_field_keys`` move the data off it."""
    return "k0:" + base64.b64encode(_derived(b"field-encryption")).decode()


def new_key_text() -> str:
    """32 random bytes in base64, for a new entry of ``PORTAL_FIELD_KEYS``."""
    return base64.b64encode(os.urandom(32)).decode()


# -- the two ciphers --------------------------------------------------------------------


def _aes_encrypt(key: bytes, plain: bytes, header: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(12)
    return nonce + AESGCM(key).encrypt(nonce, plain, header)


def _aes_decrypt(key: bytes, payload: bytes, header: bytes) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        return AESGCM(key).decrypt(payload[:12], payload[12:], header)
    except InvalidTag as error:
        raise DecryptionError("the value does not verify") from error


def _sm4_keys(key: bytes) -> tuple[bytes, bytes]:
    """An SM4 key (16 bytes) and a MAC key, derived apart from the key material."""
    return hmac_sm3(key, b"sm4-encryption")[:16], hmac_sm3(key, b"sm4-authentication")


def _sm4_encrypt(key: bytes, plain: bytes, header: bytes) -> bytes:
    from gmssl.sm4 import SM4_ENCRYPT, CryptSM4

    encryption_key, mac_key = _sm4_keys(key)
    iv = os.urandom(16)
    cipher = CryptSM4()
    cipher.set_key(encryption_key, SM4_ENCRYPT)
    body = iv + cipher.crypt_cbc(iv, plain)
    return body + hmac_sm3(mac_key, header + body)


def _sm4_decrypt(key: bytes, payload: bytes, header: bytes) -> bytes:
    from gmssl.sm4 import SM4_DECRYPT, CryptSM4

    encryption_key, mac_key = _sm4_keys(key)
    body, tag = payload[:-32], payload[-32:]
    if len(body) < 32 or not hmac.compare_digest(tag, hmac_sm3(mac_key, header + body)):
        raise DecryptionError("the value does not verify")
    cipher = CryptSM4()
    cipher.set_key(encryption_key, SM4_DECRYPT)
    return cipher.crypt_cbc(body[:16], body[16:])


_ENCRYPT = {"aes-gcm": _aes_encrypt, "sm4": _sm4_encrypt}
_DECRYPT = {"aes-gcm": _aes_decrypt, "sm4": _sm4_decrypt}


def cipher_name() -> str:
    name = settings.PORTAL_FIELD_CIPHER
    if name not in CIPHERS:
        raise ImproperlyConfigured(f"PORTAL_FIELD_CIPHER must be one of {CIPHERS}, not {name!r}")
    return name


# -- values -----------------------------------------------------------------------------


def is_encrypted(value) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX + ":")


def encrypt(text: str) -> str:
    ring = keyring()
    name = cipher_name()
    header = f"{PREFIX}:{name}:{ring.current}"
    payload = _ENCRYPT[name](ring.keys[ring.current], text.encode(), header.encode())
    return f"{header}:{base64.b64encode(payload).decode()}"


def _parts(value: str) -> tuple[str, str, bytes]:
    try:
        _prefix, name, key_id, payload = value.split(":", 3)
        return name, key_id, base64.b64decode(payload, validate=True)
    except (ValueError, binascii.Error) as error:
        raise DecryptionError("not an encrypted value") from error


def decrypt(value: str) -> str:
    """The clear text of a stored value; a value from before encryption as it is."""
    if not is_encrypted(value):
        return value
    name, key_id, payload = _parts(value)
    key = keyring().keys.get(key_id)
    if key is None or name not in _DECRYPT:
        raise DecryptionError(f"no key {key_id!r} for {name!r} in PORTAL_FIELD_KEYS")
    return _DECRYPT[name](key, payload, f"{PREFIX}:{name}:{key_id}".encode()).decode()


def is_current(value: str) -> bool:
    """Encrypted under the current key and cipher (nothing for the rotation to do)."""
    if not is_encrypted(value):
        return value == ""
    name, key_id, _payload = _parts(value)
    return name == cipher_name() and key_id == keyring().current


# -- keyed hashes -----------------------------------------------------------------------


def lookup_hash(text: str) -> str:
    """A keyed hash of ``text`` for equality lookups: ``<algorithm>:<hex>``."""
    algorithm = settings.PORTAL_FIELD_HASH
    key = (
        settings.PORTAL_FIELD_HASH_KEY.encode()
        if settings.PORTAL_FIELD_HASH_KEY
        else _derived(b"field-lookup-hash")
    )
    return f"{algorithm}:{keyed_digest(algorithm, key, text.encode()).hex()}"
