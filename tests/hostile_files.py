"""Hostile zip files built in the test: a few hundred KB on disk, hundreds of MB inflated."""

import functools
import io
import struct
import zipfile

from openpyxl import Workbook

MB = 1024 * 1024
BOMB_BYTES = 300 * MB
SHEET = "xl/worksheets/sheet1.xml"
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<sheetData>"
)
SHEET_TAIL = b"</sheetData></worksheet>"


def inline_row(line: int, values: list[str]) -> bytes:
    cells = "".join(
        f'<c r="{chr(65 + column)}{line}" t="inlineStr"><is><t>{value}</t></is></c>'
        for column, value in enumerate(values)
    )
    return f'<row r="{line}">{cells}</row>'.encode()


def workbook_bytes(header: list[str]) -> bytes:
    workbook = Workbook()
    workbook.active.append(header)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_zeros(stream, size: int, *, head: bytes = b"", tail: bytes = b"", byte=b"0"):
    stream.write(head)
    block = byte * MB
    for _ in range(size // MB):
        stream.write(block)
    stream.write(tail)


@functools.cache
def xlsx_bomb(header: tuple[str, ...], cell_bytes: int = BOMB_BYTES) -> bytes:
    """A real workbook whose second line holds one cell of ``cell_bytes`` characters."""
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes(list(header))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != SHEET:
                target.writestr(info, source.read(info))
                continue
            with target.open(SHEET, "w") as stream:
                _write_zeros(
                    stream,
                    cell_bytes,
                    head=SHEET_HEAD
                    + inline_row(1, list(header))
                    + b'<row r="2"><c r="A2" t="inlineStr"><is><t>',
                    tail=b"</t></is></c></row>" + SHEET_TAIL,
                )
    return out.getvalue()


def zip_with(members: dict[str, bytes], *, bomb: str, size: int = BOMB_BYTES) -> bytes:
    """A zip of ``members`` plus ``bomb``: ``size`` zero bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)
        with target.open(bomb, "w") as stream:
            _write_zeros(stream, size, byte=b"\0")
    return out.getvalue()


def lie_about_size(data: bytes, member: str, declared: int) -> bytes:
    """``data`` with ``member``'s uncompressed size set to ``declared`` in both headers,
    as a hostile writer would: the compressed bytes still inflate to the real size."""
    patched = bytearray(data)
    name = member.encode()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(member)
        zip64 = info.file_size >= 0xFFFFFFFF or info.compress_size >= 0xFFFFFFFF
    assert not zip64, "the bomb must fit the classic headers to be patched here"
    local = info.header_offset
    assert patched[local : local + 4] == b"PK\x03\x04"
    struct.pack_into("<I", patched, local + 22, declared)
    start = 0
    while (start := patched.find(b"PK\x01\x02", start)) != -1:
        length = struct.unpack_from("<H", patched, start + 28)[0]
        if patched[start + 46 : start + 46 + length] == name:
            struct.pack_into("<I", patched, start + 24, declared)
            break
        start += 4
    else:  # pragma: no cover - the member is in the archive
        raise AssertionError(member)
    return bytes(patched)
