"""Measure a legacy .xls (an OLE compound file holding BIFF8 records) before calamine reads it.

calamine lays out every cell from A1 to the farthest cell with a value and copies each shared
string into every cell that refers to it, as for .xlsx. This module follows the compound file's
sector chains (bounded by the file's own size, loops refused) to the « Workbook » stream, reads
the row and column of each cell record, and the length of each shared string, with the same
limits as ``sheet_extent``. Anything it cannot follow is left to calamine, which then reports a
damaged file; the byte limit of the file itself bounds what that costs."""

from __future__ import annotations

import struct
from array import array

from allervers_desktop.excel.errors import UnreadableFileError
from allervers_desktop.excel.limits import MAX_TEXT_BYTES, MIB
from allervers_desktop.excel.sheet_extent import Extent, check_extent

_FREE = 0xFFFFFFFF
_END_OF_CHAIN = 0xFFFFFFFE
_STREAM_NAMES = ("Workbook", "Book")
_FILEPASS = 0x002F
_SST = 0x00FC
_CONTINUE = 0x003C
_LABELSST = 0x00FD
_MULRK = 0x00BD
# cell records holding a value: row and column are their first two 16-bit fields
_VALUE_CELLS = {0x0006, 0x0203, 0x027E, 0x0204, 0x0205, 0x00D6, _LABELSST}
_UTF8_PER_CHAR = 3  # a BIFF character (UTF-16 unit) is at most 3 bytes of UTF-8


class _Unfollowable(Exception):
    """The compound file is not as expected: leave it to calamine's own diagnosis."""


class _Compound:
    """Just enough of the compound file format to read one stream."""

    def __init__(self, data: bytes) -> None:
        if len(data) < 512:
            raise _Unfollowable
        self.data = data
        shift, mini_shift = struct.unpack_from("<HH", data, 30)
        if not 7 <= shift <= 16 or not 2 <= mini_shift < shift:
            raise _Unfollowable
        self.sector = 1 << shift
        self.mini_sector = 1 << mini_shift
        self.sectors = (len(data) - 512) // self.sector + 1
        fat_count, self.directory_start = struct.unpack_from("<II", data, 44)
        self.mini_cutoff, self.mini_fat_start, _ = struct.unpack_from("<III", data, 56)
        difat_start, difat_count = struct.unpack_from("<II", data, 68)
        difat = list(struct.unpack_from("<109I", data, 76))
        seen: set[int] = set()
        while difat_start not in (_FREE, _END_OF_CHAIN) and difat_count > 0:
            if difat_start in seen or difat_start >= self.sectors:
                raise _Unfollowable
            seen.add(difat_start)
            entries = struct.unpack_from(f"<{self.sector // 4}I", self._sector(difat_start))
            difat.extend(entries[:-1])
            difat_start = entries[-1]
            difat_count -= 1
        fat = array("I")
        for index in difat[:fat_count]:
            if index >= self.sectors:
                raise _Unfollowable
            fat.frombytes(self._sector(index))
        self.fat = fat

    def _sector(self, index: int) -> bytes:
        start = 512 + index * self.sector
        piece = self.data[start : start + self.sector]
        if len(piece) < self.sector:
            piece += bytes(self.sector - len(piece))
        return piece

    def chain(self, start: int, table: array[int], limit: int) -> list[int]:
        found: list[int] = []
        seen: set[int] = set()
        while start not in (_FREE, _END_OF_CHAIN):
            if start in seen or start >= len(table) or len(found) > limit:
                raise _Unfollowable
            seen.add(start)
            found.append(start)
            start = table[start]
        return found

    def read(self, start: int) -> bytes:
        return b"".join(self._sector(i) for i in self.chain(start, self.fat, self.sectors))

    def stream(self, names: tuple[str, ...]) -> bytes | None:
        directory = self.read(self.directory_start)
        root_start = 0
        for offset in range(0, len(directory) - 127, 128):
            length, kind = struct.unpack_from("<HB", directory, offset + 64)
            name = directory[offset : offset + max(0, min(length, 64) - 2)].decode(
                "utf-16-le", "replace"
            )
            start, size = struct.unpack_from("<II", directory, offset + 116)
            if kind == 5:
                root_start = start
            if kind == 2 and name in names:
                if size < self.mini_cutoff:
                    return self._mini(root_start, start, size)
                return self.read(start)[:size]
        return None

    def _mini(self, root_start: int, start: int, size: int) -> bytes:
        mini_stream = self.read(root_start)
        mini_fat = array("I")
        mini_fat.frombytes(self.read(self.mini_fat_start))
        limit = len(mini_stream) // self.mini_sector + 1
        pieces = [
            mini_stream[i * self.mini_sector : (i + 1) * self.mini_sector]
            for i in self.chain(start, mini_fat, limit)
        ]
        return b"".join(pieces)[:size]


def _records(stream: bytes) -> list[tuple[int, int, int]]:
    """(type, start of data, length) of each BIFF record."""
    found: list[tuple[int, int, int]] = []
    position = 0
    while position + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, position)
        found.append((kind, position + 4, length))
        position += 4 + length
    return found


def _string_lengths(stream: bytes, segments: list[tuple[int, int]]) -> array[int]:
    """UTF-8 bytes at most of each shared string (SST record and its CONTINUE records)."""
    lengths: array[int] = array("I")
    if not segments:
        return lengths
    segment = 0
    start, length = segments[0]
    position, end = start + 8, start + length  # past the total and unique counts
    total = struct.unpack_from("<I", stream, start + 4)[0] if length >= 8 else 0

    def advance() -> bool:
        nonlocal segment, position, end
        segment += 1
        if segment >= len(segments):
            return False
        position, end = segments[segment][0], segments[segment][0] + segments[segment][1]
        return True

    def skip(count: int) -> bool:
        nonlocal position
        while count > 0:
            if position >= end and not advance():
                return False
            step = min(count, end - position)
            position += step
            count -= step
        return True

    while len(lengths) < total:
        if position + 3 > end and not (position >= end and advance()):
            break
        if position + 3 > end:
            break
        chars, flags = struct.unpack_from("<HB", stream, position)
        position += 3
        runs = extension = 0
        if flags & 0x08:
            if position + 2 > end:
                break
            runs = struct.unpack_from("<H", stream, position)[0]
            position += 2
        if flags & 0x04:
            if position + 4 > end:
                break
            extension = struct.unpack_from("<I", stream, position)[0]
            position += 4
        lengths.append(chars * _UTF8_PER_CHAR)
        wide = flags & 0x01
        left = chars
        while left > 0:  # characters may continue in the next record, after a flags byte
            if position >= end:
                if not advance():
                    return lengths
                wide = stream[position] & 0x01
                position += 1
            width = 2 if wide else 1
            take = min(left, (end - position) // width)
            if take <= 0:
                position = end
                continue
            position += take * width
            left -= take
        if not skip(runs * 4 + extension):
            break
    return lengths


def check_legacy_workbook(data: bytes, name: str) -> None:
    """Refuse an .xls whose sheets or shared strings exceed the limits."""
    try:
        stream = _Compound(data).stream(_STREAM_NAMES)
    except (_Unfollowable, struct.error):
        return
    if stream is None:
        return
    records = _records(stream)
    if any(kind == _FILEPASS for kind, _, _ in records):
        return  # encrypted: the records are unreadable, and calamine refuses the password
    sst: list[tuple[int, int]] = []
    for index, (kind, start, length) in enumerate(records):
        if kind == _SST:
            sst.append((start, length))
            for follower, follower_start, follower_length in records[index + 1 :]:
                if follower != _CONTINUE:
                    break
                sst.append((follower_start, follower_length))
            break
    lengths = _string_lengths(stream, sst)
    extent = Extent()  # of all sheets at once: a bound of each
    text = 0
    for kind, start, length in records:
        if kind in _VALUE_CELLS and length >= 4:
            row, column = struct.unpack_from("<HH", stream, start)
            last = column
            if kind == _LABELSST and length >= 10:
                index = struct.unpack_from("<I", stream, start + 6)[0]
                text += lengths[index] if index < len(lengths) else 0
        elif kind == _MULRK and length >= 6:
            row, column = struct.unpack_from("<HH", stream, start)
            last = struct.unpack_from("<H", stream, start + length - 2)[0]
        else:
            continue
        extent.rows = max(extent.rows, row + 1)
        extent.columns = max(extent.columns, last + 1)
    check_extent(name, extent)
    if text > MAX_TEXT_BYTES:
        raise UnreadableFileError(
            f"Le fichier « {name} » répète un même long texte dans de nombreuses cellules "
            f"({text // MIB} Mo de texte, la limite est de {MAX_TEXT_BYTES // MIB} Mo) : il "
            "n'est pas lu."
        )
