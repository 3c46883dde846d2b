"""Zip archives from outside (a .docx or .xlsx is one, so is a portal archive), refused
before anything parses them when inflating them would cost more than they are worth.

A zip member's size limit on disk says nothing about what it inflates to: deflate reaches
about 1000:1, so 300 KB of upload can become 300 MB in the memory of whatever reads it
(openpyxl holds a cell's whole text). Two checks:

- ``check_declared`` reads only the central directory: too many members, a member or the
  whole archive declaring more bytes than the limit, or an absurd compression ratio.
- ``iter_member`` inflates a member a chunk at a time and stops as soon as more bytes come
  out than the header declared: the declared size is the attacker's to write, and a reader
  other than Python's ``zipfile`` may not stop where the header says.

``check_zip`` does both for a whole file. Callers turn ``UnsafeArchive`` into their own
refusal; its message is for the user.
"""

import copy
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

MB = 1024 * 1024
CHUNK = 64 * 1024
# Below this a member cannot hurt whatever its ratio; office files hold tiny, highly
# repetitive XML parts (styles, content types) that compress far better than their data.
RATIO_FLOOR = 1 * MB


class UnsafeArchive(Exception):
    """The archive is refused; ``str(error)`` says why, in the user's language."""


@dataclass(frozen=True)
class ZipLimits:
    max_members: int
    max_member_bytes: int
    max_total_bytes: int
    # Deflate of text and XML rarely passes 20:1; a run of one byte reaches about 1000:1.
    max_ratio: int = 200


# Word and Excel documents attached to matters (uploads are at most PORTAL_MAX_UPLOAD_MB).
DOCUMENT_LIMITS = ZipLimits(max_members=2000, max_member_bytes=200 * MB, max_total_bytes=400 * MB)


def bomb_message() -> str:
    return _("文件解压后过大，可能是压缩炸弹，已拒绝导入。")


def check_declared(archive: zipfile.ZipFile, limits: ZipLimits) -> None:
    """Refuse on what the central directory declares, before a byte is inflated."""
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise UnsafeArchive(
            _("压缩文件内的文件过多（超过 %(limit)d 个），已拒绝导入。")
            % {"limit": limits.max_members}
        )
    total = 0
    for info in members:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            # Office files and the portal's archives use deflate only; zipfile inflates
            # bzip2 and lzma without a bound on what one read returns.
            raise UnsafeArchive(_("压缩文件已损坏或无法读取，已拒绝导入。"))
        total += info.file_size
        if info.file_size > limits.max_member_bytes or total > limits.max_total_bytes:
            raise UnsafeArchive(bomb_message())
        if info.file_size > RATIO_FLOOR and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise UnsafeArchive(bomb_message())


def iter_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's inflated bytes, refused once they pass the size the header declared.

    ``zipfile`` itself cuts a member off at its declared size and then fails on the
    checksum, which would call a bomb merely damaged. It is asked here for one byte more
    than declared, with its own checksum check left to this function: a member that
    inflates past what it declared is refused as a bomb, after one chunk too many at most.
    """
    declared = info.file_size
    widened = copy.copy(info)
    widened.file_size = declared + 1
    del widened.CRC  # checked below, over what really came out
    inflated, crc = 0, 0
    try:
        with archive.open(widened) as stream:
            while chunk := stream.read(CHUNK):
                inflated += len(chunk)
                if inflated > declared:
                    raise UnsafeArchive(bomb_message())
                crc = zlib.crc32(chunk, crc)
                yield chunk
    except (
        zipfile.BadZipFile,
        EOFError,
        OSError,
        NotImplementedError,
        RuntimeError,
        zlib.error,
    ) as error:
        # RuntimeError: an encrypted member. Nothing the portal accepts is encrypted.
        raise UnsafeArchive(_("压缩文件已损坏或无法读取，已拒绝导入。")) from error
    if inflated != declared or crc != info.CRC:
        raise UnsafeArchive(_("压缩文件已损坏或无法读取，已拒绝导入。"))


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, limit: int) -> bytes:
    """A whole member in memory, for the small ones a caller must parse at once."""
    if info.file_size > limit:
        raise UnsafeArchive(bomb_message())
    return b"".join(iter_member(archive, info))


def check_zip(file, limits: ZipLimits) -> None:
    """Refuse ``file`` (a path or a seekable binary file) unless every member inflates to
    what it declares, within ``limits``. Memory stays at one chunk whatever the file.

    A file that is no zip at all raises ``zipfile.BadZipFile``: what to call it (not an
    Excel file, not a Word file) is the caller's to say.
    """
    position = file.tell() if hasattr(file, "tell") else None
    try:
        with zipfile.ZipFile(file) as archive:
            check_declared(archive, limits)
            for info in archive.infolist():
                for _chunk in iter_member(archive, info):
                    pass
    finally:
        if position is not None:
            file.seek(position)


def is_zip(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")
