"""Measure an OpenDocument spreadsheet's tables (content.xml) before calamine expands them.

A cell or a row can say it repeats (``table:number-columns-repeated="16384"``,
``table:number-rows-repeated="1048576"``); calamine expands the repeats of cells that hold a
value, so a few bytes can ask for every cell of the grid. Empty repeats (LibreOffice ends every
table with them) take no room and are not counted."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable

from allervers_desktop.excel.archive import damaged, member_pieces
from allervers_desktop.excel.errors import UnreadableFileError
from allervers_desktop.excel.limits import MAX_ARCHIVE_BYTES, MAX_TEXT_BYTES, MIB
from allervers_desktop.excel.sheet_extent import Extent, check_extent, tag_pieces

_TOKEN = re.compile(
    rb"<(/?)(?:\w+:)?(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*)>"
)
_COLUMNS = re.compile(rb"number-columns-repeated=\"(\d+)\"")
_ROWS = re.compile(rb"number-rows-repeated=\"(\d+)\"")
_VALUE_TYPE = re.compile(rb"value-type=\"")


class _Table:
    """The running measure of the table being read."""

    def __init__(self) -> None:
        self.extent = Extent()
        self.row = 0  # rows before the current one
        self.row_repeat = 1
        self.column = 0
        self.width = 0
        self.row_text = 0
        self.text = 0
        self.cell: tuple[int, int] | None = None  # (start, repeat) of an open non-empty cell
        self.in_row = False

    def close_cell(self, position: int) -> None:
        if self.cell is not None:
            start, repeat = self.cell
            self.row_text += (position - start) * repeat
            self.cell = None

    def start_row(self, repeat: int) -> None:
        self.in_row = True
        self.row_repeat = repeat

    def end_row(self, position: int) -> None:
        self.close_cell(position)
        if not self.in_row:
            return
        self.in_row = False
        if self.width:
            self.extent.rows = max(self.extent.rows, self.row + self.row_repeat)
            self.extent.columns = max(self.extent.columns, self.width)
            self.text += self.row_text * self.row_repeat
        self.row += self.row_repeat
        self.row_repeat, self.column, self.width, self.row_text = 1, 0, 0, 0


def _repeat(pattern: re.Pattern[bytes], attributes: bytes) -> int:
    found = pattern.search(attributes)
    return max(int(found.group(1)), 1) if found else 1


def _measure(pieces: Iterable[bytes], name: str) -> None:
    table = _Table()
    offset = 0

    def finish(current: _Table) -> None:
        check_extent(name, current.extent)
        if current.text > MAX_TEXT_BYTES:
            raise UnreadableFileError(
                f"Le fichier « {name} » répète un même long texte dans de nombreuses "
                f"cellules ({current.text // MIB} Mo de texte pour une feuille, la limite est "
                f"de {MAX_TEXT_BYTES // MIB} Mo) : il n'est pas lu."
            )

    for piece in pieces:
        for match in _TOKEN.finditer(piece):
            closing, kind, attributes = match.groups()
            position = offset + match.start()
            table.close_cell(position)
            if kind == b"table":
                if closing:
                    table.end_row(position)
                    finish(table)
                table = _Table()
            elif kind == b"table-row":
                table.end_row(position)
                if not closing:
                    table.start_row(_repeat(_ROWS, attributes))
                    if attributes.endswith(b"/"):
                        table.end_row(position)
            elif not closing:
                repeat = _repeat(_COLUMNS, attributes)
                empty = attributes.endswith(b"/") and not _VALUE_TYPE.search(attributes)
                table.column += repeat
                if not empty:
                    table.width = table.column
                    table.cell = (position, repeat)
        offset += len(piece)
    table.end_row(offset)
    finish(table)


def check_opendocument(data: bytes, archive: zipfile.ZipFile, name: str) -> set[str]:
    """Refuse an .ods whose tables exceed the limits (every table is measured); return the
    members inflated."""
    try:
        info = archive.getinfo("content.xml")
    except KeyError as exc:
        raise damaged(name) from exc
    budget = [MAX_ARCHIVE_BYTES]
    _measure(tag_pieces(member_pieces(data, info, name, budget), name), name)
    return {"content.xml"}
