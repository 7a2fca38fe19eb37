"""Open a spreadsheet file (xlsx, xlsm, xls, ods, csv) and read its sheets as plain rows."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from allervers_desktop.excel.archive import open_archive, verify_members
from allervers_desktop.excel.csv_reading import read_csv_rows, too_many_rows_message
from allervers_desktop.excel.errors import UnreadableFileError
from allervers_desktop.excel.file_input import read_file_bytes as read_file_bytes
from allervers_desktop.excel.limits import MAX_FILE_BYTES as MAX_FILE_BYTES
from allervers_desktop.excel.limits import MAX_ROWS as MAX_ROWS
from allervers_desktop.excel.ods_extent import check_opendocument
from allervers_desktop.excel.ole_extent import check_legacy_workbook
from allervers_desktop.excel.sheet_extent import check_workbook
from allervers_desktop.excel.sniffing import FileKind, sniff
from allervers_desktop.excel.xlsb_extent import check_binary_workbook

if TYPE_CHECKING:
    from python_calamine import CalamineWorkbook

CellValue = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None
Row = Sequence[CellValue]  # an empty cell is None or ""


@dataclass(frozen=True)
class SheetTable:
    """The cells of one sheet; ``rows[i]`` is the row Excel numbers ``i + 1``."""

    name: str
    rows: list[Row]

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)

    def is_empty(self) -> bool:
        return not any(_filled(value) for row in self.rows for value in row)


def _filled(value: CellValue) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


@dataclass
class SpreadsheetFile:
    """An opened file: its format, its sheets and its content hash (to recognise a re-import)."""

    path: Path
    kind: FileKind
    sha256: str
    sheet_names: list[str]
    description: str
    _workbook: CalamineWorkbook | None = field(default=None, repr=False)
    _csv_rows: list[list[str]] | None = field(default=None, repr=False)
    _sheets: dict[str, SheetTable] = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        return self.path.name

    def sheet(self, name: str | None = None) -> SheetTable:
        """Read one sheet (the first when ``name`` is None)."""
        if name is None:
            name = self.sheet_names[0]
        if name not in self.sheet_names:
            choices = ", ".join(f"« {sheet} »" for sheet in self.sheet_names)
            raise UnreadableFileError(
                f"Le fichier « {self.name} » n'a pas de feuille « {name} » (feuilles : {choices})."
            )
        if name not in self._sheets:
            self._sheets[name] = self._read(name)
        return self._sheets[name]

    def close(self) -> None:
        """Release the workbook (sheets already read stay available)."""
        if self._workbook is not None:
            self._workbook.close()
            self._workbook = None

    def _read(self, name: str) -> SheetTable:
        if self._csv_rows is not None:
            return SheetTable(name, list(self._csv_rows))
        if self._workbook is None:
            raise UnreadableFileError(f"Le fichier « {self.name} » a été fermé.")
        try:
            sheet = self._workbook.get_sheet_by_name(name)
            end = sheet.end
            if end is not None and end[0] + 1 > MAX_ROWS:
                raise UnreadableFileError(too_many_rows_message(self.name, MAX_ROWS))
            data = sheet.to_python(skip_empty_area=False)
        except UnreadableFileError:
            raise
        except Exception as exc:  # calamine raises several unrelated types
            raise UnreadableFileError(_calamine_message(self.name, exc)) from exc
        return SheetTable(name, list(data))


def _calamine_message(name: str, exc: Exception) -> str:
    kind = type(exc).__name__
    if kind == "PasswordError" or "password" in str(exc).lower():
        return (
            f"Le fichier « {name} » est protégé par un mot de passe : ouvrez-le dans votre "
            "tableur, enregistrez-en une copie sans mot de passe, puis importez cette copie."
        )
    return (
        f"Le fichier « {name} » est endommagé ou n'est pas un tableur lisible "
        "(son contenu ne peut pas être décodé) : demandez à l'expéditeur de le renvoyer."
    )


def _precise_error(data: bytes, kind: FileKind, error: Exception) -> Exception:
    """Read from memory, calamine only says « cannot detect file format »; from a file with
    the right extension it tells what is wrong (a password, for instance)."""
    if "detect" not in str(error).lower():
        return error
    from python_calamine import CalamineWorkbook

    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / f"copie.{kind.value}"
        copy.write_bytes(data)
        try:
            CalamineWorkbook.from_path(copy).close()
        except Exception as precise:  # calamine raises several unrelated types
            return precise
    return error


def check_archive(data: bytes, kind: FileKind, name: str) -> None:
    """Measure a zip-based workbook before calamine reads it (see ``excel/limits.py``)."""
    archive = open_archive(data, name)
    checked: set[str] = set()
    if kind in (FileKind.XLSX, FileKind.XLSM):
        checked = check_workbook(data, archive, name)
    elif kind is FileKind.XLSB:
        checked = check_binary_workbook(data, archive, name)
    elif kind is FileKind.ODS:
        checked = check_opendocument(data, archive, name)
    verify_members(data, archive, name, checked)


def open_spreadsheet(path: str | Path) -> SpreadsheetFile:
    """Open ``path`` and list its sheets; raise UnreadableFileError (French) when impossible."""
    path = Path(path)
    data = read_file_bytes(path)
    return open_spreadsheet_bytes(data, path)


def open_spreadsheet_bytes(data: bytes, path: Path) -> SpreadsheetFile:
    name = path.name
    kind = sniff(data, name)
    digest = hashlib.sha256(data).hexdigest()
    if kind is FileKind.CSV:
        rows, description = read_csv_rows(data, name, MAX_ROWS)
        sheet_name = path.stem or "CSV"
        result = SpreadsheetFile(path, kind, digest, [sheet_name], description)
        result._csv_rows = rows
        return result
    if kind is FileKind.XLS:
        check_legacy_workbook(data, name)
    else:
        check_archive(data, kind, name)
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [
            meta.name
            for meta in workbook.sheets_metadata
            if meta.typ in (SheetTypeEnum.WorkSheet, SheetTypeEnum.DialogSheet)
        ]
    except Exception as exc:  # calamine raises several unrelated types
        raise UnreadableFileError(_calamine_message(name, _precise_error(data, kind, exc))) from exc
    if not sheets:
        raise UnreadableFileError(f"Le classeur « {name} » ne contient aucune feuille de calcul.")
    descriptions = {
        FileKind.XLSX: "classeur Excel (.xlsx)",
        FileKind.XLSM: "classeur Excel avec macros (.xlsm)",
        FileKind.XLSB: "classeur Excel binaire (.xlsb)",
        FileKind.XLS: "classeur Excel 97-2003 (.xls)",
        FileKind.ODS: "classeur OpenDocument (.ods)",
    }
    return SpreadsheetFile(path, kind, digest, sheets, descriptions[kind], workbook)
