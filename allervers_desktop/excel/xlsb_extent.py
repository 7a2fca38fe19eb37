"""Measure an .xlsb workbook's sheets from their binary records before calamine reads them.

An .xlsb is a zip of BIFF12 record streams: each record is a type (1 or 2 bytes of 7 bits), a
length (1 to 4 bytes of 7 bits) and a payload. calamine lays a sheet out as the rectangle of its
cells, so one value at XFD1048576 in a 1 KB file aborts the process on a 549 GB allocation, as
for .xlsx (``sheet_extent``). ``check_binary_workbook`` streams every sheet and the shared
strings (``archive.member_pieces``, bounded) and refuses, before calamine is called, a declared
(BrtWsDim) or actual extent beyond the import's limits, a shared string over
``MAX_SHARED_STRING_BYTES`` and a sheet whose cells would copy more than ``MAX_TEXT_BYTES``."""

from __future__ import annotations

import struct
import zipfile
from array import array
from collections.abc import Iterable, Iterator

from allervers_desktop.excel.archive import megabytes, member_pieces
from allervers_desktop.excel.errors import UnreadableFileError
from allervers_desktop.excel.limits import (
    MAX_ARCHIVE_BYTES,
    MAX_SHARED_STRING_BYTES,
    MAX_TEXT_BYTES,
    MIB,
)
from allervers_desktop.excel.sheet_extent import Extent, check_extent

ROW_HEADER = 0x0000  # BrtRowHdr: the row of the cells that follow
VALUED_CELLS = frozenset(range(0x0002, 0x000C))  # BrtCellRk … BrtFmlaError (not BrtCellBlank)
SHARED_STRING_CELL = 0x0007  # BrtCellIsst: an index into the shared strings
DIMENSION = 0x0094  # BrtWsDim: rwFirst, rwLast, colFirst, colLast
STRING_ITEM = 0x0013  # BrtSSTItem: flags, then a wide string (count of UTF-16 units, text)
MAX_RECORD_BYTES = 1 * MIB  # a cell holds 32 767 characters: a longer record is not a sheet's
_U32 = struct.Struct("<I")
_SHEET_FOLDERS = ("xl/worksheets/", "xl/dialogsheets/", "xl/macrosheets/")


def records(pieces: Iterable[bytes], name: str) -> Iterator[tuple[int, bytes]]:
    """(type, payload) of each record of a stream cut in arbitrary pieces."""
    pending = bytearray()
    for piece in pieces:
        pending += piece
        position = 0
        while True:
            parsed = _header(pending, position)
            if parsed is None:
                break
            kind, size, start = parsed
            if size > MAX_RECORD_BYTES:
                raise UnreadableFileError(
                    f"Le fichier « {name} » contient un enregistrement démesuré "
                    f"({megabytes(size)}) : il n'est pas lu."
                )
            if start + size > len(pending):
                break
            yield kind, bytes(pending[start : start + size])
            position = start + size
        del pending[:position]


def _header(buffer: bytearray, position: int) -> tuple[int, int, int] | None:
    """The type, the payload's size and where it starts; None when the header is cut."""
    end = len(buffer)
    if position >= end:
        return None
    kind = buffer[position] & 0x7F
    position += 1
    if buffer[position - 1] & 0x80:
        if position >= end:
            return None
        kind |= (buffer[position] & 0x7F) << 7
        position += 1
    size = 0
    for shift in (0, 7, 14, 21):
        if position >= end:
            return None
        byte = buffer[position]
        position += 1
        size |= (byte & 0x7F) << shift
        if not byte & 0x80:
            break
    return kind, size, position


def _string_lengths(pieces: Iterable[bytes], name: str) -> array[int]:
    """The byte length of each shared string's text."""
    lengths: array[int] = array("I")
    for kind, payload in records(pieces, name):
        if kind == STRING_ITEM and len(payload) >= 5:
            length = _U32.unpack_from(payload, 1)[0] * 2
            if length > MAX_SHARED_STRING_BYTES:
                raise UnreadableFileError(
                    f"Le fichier « {name} » contient un texte de {megabytes(length)} dans une "
                    "seule cellule (un tableur en accepte 32 767 caractères) : il n'est pas lu."
                )
            lengths.append(length)
    return lengths


def _measure_sheet(pieces: Iterable[bytes], name: str, lengths: array[int]) -> None:
    """Refuse a sheet whose declared or actual extent, or copied text, is over the limits (the
    whole stream is read, so that its size and checksum are proven too)."""
    extent = Extent()
    row = 0
    text = 0
    for kind, payload in records(pieces, name):
        if kind == ROW_HEADER and len(payload) >= 4:
            row = _U32.unpack_from(payload)[0]
        elif kind in VALUED_CELLS and len(payload) >= 4:
            column = _U32.unpack_from(payload)[0]
            if row + 1 > extent.rows or column + 1 > extent.columns:
                extent.rows = max(extent.rows, row + 1)
                extent.columns = max(extent.columns, column + 1)
                check_extent(name, extent)
            if kind == SHARED_STRING_CELL and len(payload) >= 12:
                index = _U32.unpack_from(payload, 8)[0]
                text += lengths[index] if index < len(lengths) else 0
                if text > MAX_TEXT_BYTES:
                    raise UnreadableFileError(
                        f"Le fichier « {name} » répète un même long texte dans de nombreuses "
                        f"cellules (plus de {MAX_TEXT_BYTES // MIB} Mo de texte pour une "
                        "feuille) : il n'est pas lu."
                    )
        elif kind == DIMENSION and len(payload) >= 16:
            last_row, _first_column, last_column = struct.unpack_from("<III", payload, 4)
            check_extent(name, Extent(last_row + 1, last_column + 1))


def check_binary_workbook(data: bytes, archive: zipfile.ZipFile, name: str) -> set[str]:
    """Refuse an .xlsb whose sheets or shared strings exceed the limits; return the members
    inflated (their sizes are proven)."""
    members = {info.filename: info for info in archive.infolist()}
    budget = [MAX_ARCHIVE_BYTES]
    lengths: array[int] = array("I")
    checked: set[str] = set()
    if "xl/sharedStrings.bin" in members:
        pieces = member_pieces(data, members["xl/sharedStrings.bin"], name, budget)
        lengths = _string_lengths(pieces, name)
        checked.add("xl/sharedStrings.bin")
    for member in sorted(members):
        if member.startswith(_SHEET_FOLDERS) and member.endswith(".bin"):
            _measure_sheet(member_pieces(data, members[member], name, budget), name, lengths)
            checked.add(member)
    return checked
