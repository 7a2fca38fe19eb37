"""Check a zip archive (.xlsx, .xlsm, .xlsb, .ods) before any reader inflates it.

``open_archive`` refuses, from the end record and the central directory alone, an archive with
too many members, a member declared too large or too compressed (a « zip bomb »), members that
overlap or share a name. ``member_pieces`` then inflates one member itself, counting the bytes
actually produced (the declared sizes can lie) and stopping at the limit."""

from __future__ import annotations

import io
import itertools
import struct
import zipfile
import zlib
from collections.abc import Iterator

from allervers_desktop.excel.errors import UnreadableFileError
from allervers_desktop.excel.limits import (
    MAX_ARCHIVE_BYTES,
    MAX_ARCHIVE_MEMBERS,
    MAX_CENTRAL_DIRECTORY_BYTES,
    MAX_MEMBER_BYTES,
    MAX_RATIO,
    MIB,
    RATIO_FLOOR_BYTES,
)

_END = b"PK\x05\x06"
_END64_LOCATOR = b"PK\x06\x07"
_LOCAL = b"PK\x03\x04"
_INPUT_PIECE = 64 * 1024
_OUTPUT_PIECE = 1 * MIB
DAMAGED = (
    "est endommagé ou incomplet (archive tronquée ou corrompue) : "
    "demandez à l'expéditeur de le renvoyer."
)


def _refuse(name: str, what: str) -> UnreadableFileError:
    return UnreadableFileError(f"Le fichier « {name} » {what}")


def damaged(name: str) -> UnreadableFileError:
    return _refuse(name, DAMAGED)


def megabytes(size: int) -> str:
    return f"{size / MIB:,.1f}".replace(",", " ").replace(".", ",") + " Mo"


def bomb(name: str, member: str, detail: str) -> UnreadableFileError:
    return _refuse(
        name,
        f"ressemble à une « bombe de décompression » : son élément « {member} » {detail}. "
        "Il n'est pas lu ; demandez à l'expéditeur de le renvoyer.",
    )


def _directory_size(data: bytes) -> tuple[int, int] | None:
    """(entries, central directory bytes) from the end record, None when there is none."""
    position = data.rfind(_END, max(0, len(data) - 65_557))
    if position < 0 or len(data) - position < 22:
        return None
    entries, size = struct.unpack_from("<HI", data, position + 10)
    if entries == 0xFFFF or size == 0xFFFFFFFF:  # Zip64: the real values are further up
        locator = position - 20
        if locator >= 0 and data[locator : locator + 4] == _END64_LOCATOR:
            (offset,) = struct.unpack_from("<Q", data, locator + 8)
            if offset + 56 <= len(data):
                entries, size = struct.unpack_from("<QQ", data, offset + 32)
    return entries, size


def _check_directory(data: bytes, name: str) -> None:
    found = _directory_size(data)
    if found is None:
        raise damaged(name)
    entries, size = found
    if entries > MAX_ARCHIVE_MEMBERS or size > MAX_CENTRAL_DIRECTORY_BYTES:
        raise _refuse(
            name,
            f"contient trop d'éléments ({entries} ; un classeur en compte rarement plus de "
            f"quelques dizaines, la limite est de {MAX_ARCHIVE_MEMBERS}) : il n'est pas lu.",
        )


def data_start(data: bytes, info: zipfile.ZipInfo, name: str) -> int:
    """Where the member's compressed bytes begin (after its local header)."""
    offset = info.header_offset
    if data[offset : offset + 4] != _LOCAL:
        raise damaged(name)
    name_length: int
    extra_length: int
    name_length, extra_length = struct.unpack_from("<HH", data, offset + 26)
    start = int(offset) + 30 + name_length + extra_length
    if start + info.compress_size > len(data):
        raise damaged(name)
    return start


def _check_members(archive: zipfile.ZipFile, data: bytes, name: str) -> None:
    members = archive.infolist()
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise _refuse(name, f"contient trop d'éléments ({len(members)}) : il n'est pas lu.")
    seen: set[str] = set()
    total = 0
    spans: list[tuple[int, int]] = []
    for info in members:
        if info.filename in seen:
            raise _refuse(
                name,
                f"contient deux fois l'élément « {info.filename} » (archive trafiquée ou "
                "endommagée) : demandez à l'expéditeur de le renvoyer.",
            )
        seen.add(info.filename)
        size = info.file_size
        if size > MAX_MEMBER_BYTES:
            raise bomb(
                name,
                info.filename,
                f"ferait {megabytes(size)} une fois décompressé (limite : "
                f"{megabytes(MAX_MEMBER_BYTES)})",
            )
        if size > RATIO_FLOOR_BYTES and size > MAX_RATIO * max(info.compress_size, 1):
            ratio = size // max(info.compress_size, 1)
            raise bomb(
                name,
                info.filename,
                f"est compressé {ratio} fois (de {megabytes(info.compress_size)} à "
                f"{megabytes(size)} ; un vrai classeur l'est moins de {MAX_RATIO} fois)",
            )
        total += size
        start = data_start(data, info, name)
        spans.append((info.header_offset, start + info.compress_size))
    if total > MAX_ARCHIVE_BYTES:
        raise bomb(
            name,
            "(tous les éléments)",
            f"ferait {megabytes(total)} une fois décompressé (limite : "
            f"{megabytes(MAX_ARCHIVE_BYTES)})",
        )
    spans.sort()
    for (_, end), (next_start, _) in itertools.pairwise(spans):
        if end > next_start:  # members sharing their bytes: a « non-recursive » zip bomb
            raise bomb(name, "(plusieurs éléments)", "partage ses données avec un autre")


def open_archive(data: bytes, name: str) -> zipfile.ZipFile:
    """The archive, once its structure is within the limits; raise UnreadableFileError."""
    _check_directory(data, name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, OSError, KeyError, ValueError, struct.error) as exc:
        raise damaged(name) from exc
    _check_members(archive, data, name)
    return archive


def member_pieces(
    data: bytes, info: zipfile.ZipInfo, name: str, budget: list[int]
) -> Iterator[bytes]:
    """Inflate one member in pieces of at most 1 MiB, counting the bytes actually produced:
    past ``MAX_MEMBER_BYTES``, or past what is left of ``budget[0]`` (shared by the members
    of an archive), it stops and refuses; a size or checksum unlike the declared ones is a
    damaged archive."""
    start = data_start(data, info, name)
    raw = memoryview(data)[start : start + info.compress_size]
    limit = min(MAX_MEMBER_BYTES, budget[0])
    produced = 0
    checksum = 0

    def counted(piece: bytes) -> bytes:
        nonlocal produced, checksum
        produced += len(piece)
        if produced > limit:
            raise bomb(
                name,
                info.filename,
                f"dépasse {megabytes(limit)} une fois décompressé (il en annonçait "
                f"{megabytes(info.file_size)})",
            )
        checksum = zlib.crc32(piece, checksum)
        return piece

    if info.compress_type == zipfile.ZIP_STORED:
        for offset in range(0, len(raw), _OUTPUT_PIECE):
            yield counted(bytes(raw[offset : offset + _OUTPUT_PIECE]))
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-15)
        try:
            for offset in range(0, len(raw), _INPUT_PIECE):
                pending = bytes(raw[offset : offset + _INPUT_PIECE])
                while pending:
                    piece = inflater.decompress(pending, _OUTPUT_PIECE)
                    pending = inflater.unconsumed_tail
                    if piece:
                        yield counted(piece)
                if inflater.eof:
                    break
            tail = inflater.flush()
        except zlib.error as exc:
            raise damaged(name) from exc
        if tail:
            yield counted(tail)
    else:
        raise _refuse(
            name,
            f"utilise une méthode de compression inconnue des tableurs (élément "
            f"« {info.filename} ») : enregistrez-le de nouveau depuis votre tableur.",
        )
    budget[0] -= produced
    if produced != info.file_size or checksum != info.CRC:
        raise damaged(name)


def verify_members(
    data: bytes, archive: zipfile.ZipFile, name: str, checked: set[str] | frozenset[str]
) -> None:
    """Inflate the XML members a reader parses (but those already ``checked``), to prove
    their declared sizes, within the limits."""
    budget = [MAX_ARCHIVE_BYTES]
    for info in archive.infolist():
        if info.filename in checked:
            continue
        if info.filename.endswith((".xml", ".rels", ".bin")) or info.filename == "mimetype":
            for _ in member_pieces(data, info, name, budget):
                pass
