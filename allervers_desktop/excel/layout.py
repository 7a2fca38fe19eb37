"""Find the header row of a sheet (title lines above it are skipped) and propose a mapping."""

from __future__ import annotations

from dataclasses import dataclass

from allervers_desktop.excel.cells import cell_text
from allervers_desktop.excel.errors import UnreadableFileError
from allervers_desktop.excel.mapping import ColumnMapping
from allervers_desktop.excel.reading import SheetTable, SpreadsheetFile

HEADER_SCAN_ROWS = 20
SAMPLE_ROWS = 8
_MIN_FIELDS = 2


@dataclass(frozen=True)
class SheetLayout:
    """Where the list is in a sheet: header row (as Excel numbers it) and column mapping."""

    sheet_name: str
    header_row: int
    mapping: ColumnMapping
    detected: bool = True

    def with_mapping(self, mapping: ColumnMapping) -> SheetLayout:
        return SheetLayout(self.sheet_name, self.header_row, mapping, self.detected)


def _header_score(mapping: ColumnMapping) -> int:
    return len(mapping.mapped) if mapping.has_name() else 0


def detect_header(table: SheetTable) -> SheetLayout | None:
    """The row among the first 20 whose cells name the most known fields (a name among them)."""
    best: SheetLayout | None = None
    best_score = _MIN_FIELDS - 1
    for index, row in enumerate(table.rows[:HEADER_SCAN_ROWS]):
        mapping = ColumnMapping.propose([cell_text(value) for value in row])
        score = _header_score(mapping)
        if score > best_score:
            best, best_score = SheetLayout(table.name, index + 1, mapping), score
    return best


def layout_at(table: SheetTable, header_row: int) -> SheetLayout:
    """The layout when the user names the header row (Excel number) themselves."""
    if not 1 <= header_row <= len(table.rows):
        raise UnreadableFileError(
            f"La feuille « {table.name} » n'a pas de ligne {header_row} "
            f"(elle en compte {len(table.rows)})."
        )
    headers = [cell_text(value) for value in table.rows[header_row - 1]]
    return SheetLayout(table.name, header_row, ColumnMapping.propose(headers), detected=False)


def no_header_message(file_name: str, sheet_name: str | None = None) -> str:
    where = f"de la feuille « {sheet_name} »" if sheet_name else "d'aucune feuille"
    return (
        f"Aucune ligne d'en-tête reconnue dans les {HEADER_SCAN_ROWS} premières lignes "
        f"{where} du fichier « {file_name} » : il faut au moins une colonne "
        "« Nom » (ou « Nom Prénom ») et une autre colonne connue (Prénom, E-mail, "
        "Établissement…)."
    )


def prepare_sheet(
    spreadsheet: SpreadsheetFile,
    sheet_name: str | None = None,
    header_row: int | None = None,
) -> SheetLayout:
    """The layout of ``sheet_name``, or of the first sheet with a recognisable header."""
    names = [sheet_name] if sheet_name is not None else spreadsheet.sheet_names
    all_empty = True
    for name in names:
        table = spreadsheet.sheet(name)
        if table.is_empty():
            continue
        all_empty = False
        if header_row is not None:
            return layout_at(table, header_row)
        layout = detect_header(table)
        if layout is not None:
            return layout
    if all_empty:
        if sheet_name is not None:
            raise UnreadableFileError(
                f"La feuille « {sheet_name} » du fichier « {spreadsheet.name} » est vide."
            )
        raise UnreadableFileError(
            f"Le fichier « {spreadsheet.name} » ne contient aucune donnée "
            "(ses feuilles sont vides)."
        )
    raise UnreadableFileError(no_header_message(spreadsheet.name, sheet_name))


def sample_rows(
    table: SheetTable, layout: SheetLayout, count: int = SAMPLE_ROWS
) -> list[list[str]]:
    """The first data rows below the header, as text, for the mapping page of the wizard."""
    rows: list[list[str]] = []
    width = len(layout.mapping.headers)
    for row in table.rows[layout.header_row :]:
        texts = [cell_text(row[i]) if i < len(row) else "" for i in range(width)]
        if any(texts):
            rows.append(texts)
        if len(rows) >= count:
            break
    return rows
