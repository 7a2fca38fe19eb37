"""Measure a workbook's sheets from their XML before calamine lays them out in memory.

calamine allocates every cell of the rectangle from A1 to the farthest cell holding a value, and
copies a shared string into every cell that refers to it: a 2 KB file with one value at
XFD1048576 asks for 512 GB. ``check_workbook`` streams each sheet (``archive.member_pieces``)
and refuses, before calamine is called, a declared or actual extent beyond ``MAX_ROWS`` x
``MAX_COLUMNS`` (or ``MAX_CELLS``), a shared string over ``MAX_SHARED_STRING_BYTES`` and a sheet
whose cells would copy more than ``MAX_TEXT_BYTES`` of text."""

from __future__ import annotations

import re
import zipfile
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter

from allervers_desktop.excel.archive import megabytes, member_pieces
from allervers_desktop.excel.csv_reading import too_many_rows_message
from allervers_desktop.excel.errors import UnreadableFileError
from allervers_desktop.excel.limits import (
    MAX_ARCHIVE_BYTES,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_SHARED_STRING_BYTES,
    MAX_TEXT_BYTES,
    MIB,
)

_PLAIN_CELL = re.compile(rb"<c r=\"([A-Za-z]+)(\d+)\"")  # as every spreadsheet writes them
# a cell that does not start with a reference in columns A-Z, rows 1 to 49 999
_UNUSUAL_CELL = re.compile(rb"<c(?! r=\"[A-Za-z](?:\d{1,4}|[1-4]\d{4})\")(?=[\s>/])")
# a cell that does not start with its reference (then placed by ``_sequential_extent``)
_UNPLACED_CELL = re.compile(rb"<c(?! r=\")(?=[\s>/])")
_NARROW_COLUMNS = 26
assert _NARROW_COLUMNS * MAX_ROWS <= MAX_CELLS
_PREFIXED = re.compile(rb"<\w+:(?:worksheet|sheetData)[\s>]")
# a cell with a value: not self-closing, its reference captured
_VALUED_CELL = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Za-z]+)(\d+)\"[^>]*(?<!/)>(?!</)")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s[^>]*?\bref=\"([^\"]*)\"")
_TOKEN = re.compile(rb"<(?:\w+:)?(row|c|v)(?=[\s/>])([^>]*)>")
_REF = re.compile(rb"\br=\"([A-Za-z]*)(\d*)\"")
_SHARED = re.compile(rb"\bt=\"s\"")
_STRING_ITEM = re.compile(rb"<(?:\w+:)?si[\s>]")
_RELATION = re.compile(rb"<(?:\w+:)?Relationship\s[^>]*>")
_ATTRIBUTE = re.compile(rb"([\w:]+)=\"([^\"]*)\"")
_SHEET_TYPES = (b"/worksheet", b"/dialogsheet", b"/macrosheet", b"/xlMacrosheet")
_CARRY_LIMIT = 64 * 1024  # a tag longer than this is not a spreadsheet's


@dataclass
class Extent:
    """The area of a sheet holding values, counted from A1, and the text it copies."""

    rows: int = 0
    columns: int = 0
    shared_cells: int = 0

    def cells(self) -> int:
        return self.rows * self.columns


def column_number(letters: bytes) -> int:
    """b"A" -> 1, b"XFD" -> 16384."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def column_letters(number: int) -> str:
    text = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        text = chr(65 + rest) + text
    return text or "A"


def _grouped(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def _counted(value: int, noun: str) -> str:
    return f"{_grouped(value)} {noun}{'s' if value > 1 else ''}"


def check_extent(name: str, extent: Extent) -> None:
    """Refuse a sheet larger than an import reads."""
    if extent.rows > MAX_ROWS and extent.columns <= MAX_COLUMNS and extent.cells() <= MAX_CELLS:
        raise UnreadableFileError(too_many_rows_message(name, MAX_ROWS))
    if extent.columns > MAX_COLUMNS or extent.cells() > MAX_CELLS:
        corner = f"{column_letters(extent.columns)}{extent.rows}"
        raise UnreadableFileError(
            f"Une feuille du fichier « {name} » s'étend jusqu'à la cellule {corner} "
            f"({_counted(extent.rows, 'ligne')} × {_counted(extent.columns, 'colonne')}) : un "
            f"import lit au plus {_grouped(MAX_ROWS)} lignes, {_grouped(MAX_COLUMNS)} "
            f"colonnes et {_grouped(MAX_CELLS)} cellules. Copiez la liste seule dans un "
            "nouveau classeur, puis importez cette copie."
        )


def tag_pieces(pieces: Iterable[bytes], name: str) -> Iterator[bytes]:
    """Re-cut pieces of XML so that no tag is split between two of them."""
    carry = b""
    for piece in pieces:
        text = carry + piece
        cut = text.rfind(b"<")
        if cut < 0 or text.find(b">", cut) >= 0:
            carry = b""
            yield text
            continue
        carry = text[cut:]
        if len(carry) > _CARRY_LIMIT:
            raise UnreadableFileError(
                f"Le fichier « {name} » contient une balise XML démesurée : il n'est pas lu."
            )
        yield text[:cut]
    if carry:
        yield carry


def _declared_extent(piece: bytes) -> Extent | None:
    found = _DIMENSION.search(piece)
    if found is None:
        return None
    corner = found.group(1).split(b":")[-1]
    letters = corner.rstrip(b"0123456789").lstrip(b"$")
    digits = corner[len(corner.rstrip(b"0123456789")) :]
    if not digits:
        return None
    return Extent(int(digits), column_number(letters) if letters else 1)


def _fast_extent(pieces: Iterable[bytes], count_cells: bool) -> tuple[Extent, bool, Extent | None]:
    """An upper bound of the extent from the references of all cells, empty ones included;
    False when a cell has no reference, or not first, or a prefixed name (its place then
    needs ``_sequential_extent``). A bound over the limits is measured again precisely.

    Most lists fit in columns A to Z and 50 000 rows: one regex search proves it for a piece
    (the bound is then 26 columns x ``MAX_ROWS`` rows) and that every cell starts with its
    reference; only a piece with a reference beyond that has its references read one by one.
    Cells are counted (for the shared-text bound) only when ``count_cells``."""
    extent = Extent()
    declared: Extent | None = None
    first = True
    for piece in pieces:
        if first:
            head = piece[: max(piece.find(b"sheetData"), 4096)]
            declared = _declared_extent(head)
            if _PREFIXED.search(head) is not None:
                return extent, False, declared
            first = False
        if count_cells:
            extent.shared_cells += piece.count(b'<c r="')
        unusual = _UNUSUAL_CELL.search(piece)
        if unusual is None:
            extent.columns = max(extent.columns, _NARROW_COLUMNS)
            extent.rows = max(extent.rows, MAX_ROWS)
            continue
        if _UNPLACED_CELL.search(piece, unusual.start()):
            return extent, False, declared
        found = _PLAIN_CELL.findall(piece)
        letters = set(map(itemgetter(0), found))
        extent.columns = max(extent.columns, max(map(column_number, letters)))
        extent.rows = max(extent.rows, max(map(int, set(map(itemgetter(1), found)))))
    return extent, True, declared


def _valued_extent(pieces: Iterable[bytes]) -> Extent:
    """The extent of the cells holding a value (calamine leaves empty cells out)."""
    extent = Extent()
    for piece in pieces:
        found = _VALUED_CELL.findall(piece)
        if found:
            extent.shared_cells += len(found)
            extent.columns = max(extent.columns, max(map(column_number, {c for c, _ in found})))
            extent.rows = max(extent.rows, max(int(r) for _, r in found))
    return extent


def _within(extent: Extent) -> bool:
    return extent.rows <= MAX_ROWS and extent.columns <= MAX_COLUMNS and extent.cells() <= MAX_CELLS


def _sequential_extent(pieces: Iterable[bytes]) -> Extent:
    """Place every cell as calamine does: a cell without reference follows the previous one,
    a row without number follows the previous row."""
    extent = Extent()
    row = 0
    column = 0
    for piece in pieces:
        for match in _TOKEN.finditer(piece):
            kind, attributes = match.group(1), match.group(2)
            if kind == b"v":
                continue
            reference = _REF.search(attributes)
            if kind == b"row":
                row = int(reference.group(2)) if reference and reference.group(2) else row + 1
                column = 0
                continue
            if reference and reference.group(1):
                column = column_number(reference.group(1))
                if reference.group(2):
                    row = int(reference.group(2))
            else:
                column += 1
            if not match.group(0).endswith(b"/>"):
                extent.rows = max(extent.rows, row)
                extent.columns = max(extent.columns, column)
                extent.shared_cells += 1
    return extent


def _shared_text(pieces: Iterable[bytes], lengths: array[int]) -> int:
    """Bytes of shared strings the cells of a sheet copy out, one reference at a time."""
    total = 0
    shared = False
    for piece in pieces:
        for match in _TOKEN.finditer(piece):
            kind = match.group(1)
            if kind == b"c":
                shared = bool(_SHARED.search(match.group(2))) and not match.group(0).endswith(b"/>")
            elif kind == b"v" and shared:
                end = piece.find(b"<", match.end())
                value = piece[match.end() : end if end >= 0 else len(piece)].strip()
                if value.isdigit() and int(value) < len(lengths):
                    total += lengths[int(value)]
                shared = False
    return total


def _string_lengths(pieces: Iterable[bytes], name: str) -> array[int]:
    """The XML length of each shared string (at least the length of its text)."""
    lengths: array[int] = array("I")
    offset = 0
    last: int | None = None
    for piece in pieces:
        for match in _STRING_ITEM.finditer(piece):
            position = offset + match.start()
            if last is not None:
                lengths.append(position - last)
            last = position
        offset += len(piece)
    if last is not None:
        lengths.append(offset - last)
    longest = max(lengths, default=0)
    if longest > MAX_SHARED_STRING_BYTES:
        raise UnreadableFileError(
            f"Le fichier « {name} » contient un texte de {megabytes(longest)} dans une seule "
            f"cellule (un tableur en accepte 32 767 caractères) : il n'est pas lu."
        )
    return lengths


def _relations(archive: zipfile.ZipFile) -> list[tuple[bytes, str]]:
    """(type, member) of the workbook's relationships."""
    try:
        with archive.open("xl/_rels/workbook.xml.rels") as member:
            content = member.read(4 * MIB)  # a workbook's relations take a few kilobytes
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError):
        return []
    found: list[tuple[bytes, str]] = []
    for tag in _RELATION.findall(content):
        attributes = dict(_ATTRIBUTE.findall(tag))
        target = attributes.get(b"Target", b"").decode("utf-8", "replace")
        member = target.lstrip("/") if target.startswith("/") else "xl/" + target
        parts: list[str] = []
        for part in member.split("/"):
            if part == "..":
                if parts:
                    parts.pop()
            elif part and part != ".":
                parts.append(part)
        found.append((attributes.get(b"Type", b""), "/".join(parts)))
    return found


class _Budget:
    """Bytes the checks may still inflate, shared by every member they read."""

    def __init__(self) -> None:
        self.left = [MAX_ARCHIVE_BYTES]


def check_workbook(data: bytes, archive: zipfile.ZipFile, name: str) -> set[str]:
    """Refuse an .xlsx/.xlsm whose sheets or shared strings exceed the limits; return the
    members inflated (their sizes are proven)."""
    members = {info.filename: info for info in archive.infolist()}
    budget = _Budget()
    relations = _relations(archive)
    sheets = {
        member for kind, member in relations if kind.endswith(_SHEET_TYPES) and member in members
    }
    sheets.update(
        member
        for member in members
        if member.startswith(("xl/worksheets/", "xl/dialogsheets/", "xl/macrosheets/"))
        and member.endswith(".xml")
    )
    strings = {member for kind, member in relations if kind.endswith(b"/sharedStrings")}
    strings.add("xl/sharedStrings.xml")
    lengths: array[int] = array("I")
    for member in sorted(strings & members.keys()):
        lengths.extend(
            _string_lengths(member_pieces(data, members[member], name, budget.left), name)
        )
    longest = max(lengths, default=0)

    def pieces(member: str) -> Iterator[bytes]:
        return tag_pieces(member_pieces(data, members[member], name, budget.left), name)

    for member in sorted(sheets):
        extent, placed, declared = _fast_extent(pieces(member), count_cells=longest > 0)
        if declared is not None:
            check_extent(name, declared)
        if not placed:
            extent = _sequential_extent(pieces(member))
        elif not _within(extent):
            extent = _valued_extent(pieces(member))
        check_extent(name, extent)
        if extent.shared_cells * longest > MAX_TEXT_BYTES:
            text = _shared_text(pieces(member), lengths)
            if text > MAX_TEXT_BYTES:
                raise UnreadableFileError(
                    f"Le fichier « {name} » répète un même long texte dans de nombreuses "
                    f"cellules ({text // MIB} Mo de texte pour une feuille, la limite est de "
                    f"{MAX_TEXT_BYTES // MIB} Mo) : il n'est pas lu."
                )
    return sheets | (strings & members.keys())
