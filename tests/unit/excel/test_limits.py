"""The import's bounds: what they refuse is tested in test_hostile_files; here, what they must
not refuse (real files' oddities) and the byte limit counted on what is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from allervers_desktop.excel.errors import UnreadableFileError
from allervers_desktop.excel.file_input import read_file_bytes
from allervers_desktop.excel.limits import MAX_CELLS, MAX_COLUMNS, MAX_ROWS
from allervers_desktop.excel.reading import open_spreadsheet
from allervers_desktop.excel.sheet_extent import column_letters, column_number
from tests.data.make_hostile import HEADER_ROW, sheet_xml, write_xlsb, write_xlsx
from tests.unit.excel.conftest import LISTS


def test_the_bounds_hold_a_full_list() -> None:
    assert MAX_ROWS * 40 <= MAX_CELLS  # 50 000 rows of 40 columns
    assert MAX_COLUMNS >= 702  # every two-letter column
    assert column_number(b"XFD") == 16_384 and column_letters(16_384) == "XFD"
    assert column_letters(column_number(b"ALL")) == "ALL"


def test_the_byte_limit_counts_what_is_read_not_what_the_size_says() -> None:
    status = Path("/proc/self/status")  # a regular file whose size reads 0
    if not status.exists() or status.stat().st_size != 0:
        pytest.skip("no /proc with zero-sized files here")
    with pytest.raises(UnreadableFileError, match="est trop volumineux"):
        read_file_bytes(status, limit=100)
    assert read_file_bytes(status, limit=1_000_000).startswith(b"Name:")


def read(path: Path) -> list[list[object]]:
    return [list(row) for row in open_spreadsheet(path).sheet().rows]


def test_an_empty_styled_cell_far_away_is_not_counted(tmp_path: Path) -> None:
    # calamine leaves cells without a value out of the grid: so does the check
    row = '<row r="2"><c r="A2" t="inlineStr"><is><t>DUPONT</t></is></c><c r="XFD1048576" s="1"/>'
    path = write_xlsx(tmp_path / "style.xlsx", sheet_xml(HEADER_ROW + row + "</row>"))
    assert read(path) == [["Nom", "Prénom"], ["DUPONT", ""]]


def test_cells_without_reference_are_placed_in_order(tmp_path: Path) -> None:
    row = (
        '<row r="2"><c t="inlineStr"><is><t>DUPONT</t></is></c>'
        '<c t="inlineStr"><is><t>Anne</t></is></c></row>'
    )
    path = write_xlsx(tmp_path / "sans-reference.xlsx", sheet_xml(HEADER_ROW + row))
    assert read(path) == [["Nom", "Prénom"], ["DUPONT", "Anne"]]


def test_prefixed_element_names_within_bounds(tmp_path: Path) -> None:
    sheet = (
        '<?xml version="1.0"?><x:worksheet '
        'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
        '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Nom</x:t></x:is></x:c></x:row>'
        '<x:row r="2"><x:c r="B2" t="inlineStr"><x:is><x:t>x</x:t></x:is></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    )
    path = write_xlsx(tmp_path / "prefixes.xlsx", sheet)
    assert read(path) == [["Nom", ""], ["", "x"]]


def test_a_wide_list_beyond_column_z_is_measured_and_read(tmp_path: Path) -> None:
    cells = "".join(
        f'<c r="{column_letters(n)}1" t="inlineStr"><is><t>C{n}</t></is></c>' for n in range(1, 61)
    )
    path = write_xlsx(tmp_path / "large.xlsx", sheet_xml(f'<row r="1">{cells}</row>'))
    assert len(read(path)[0]) == 60


def test_libreoffice_trailing_repeats_are_not_counted() -> None:
    # its content.xml ends each table with 1 048 571 empty rows of 16 384 empty cells
    spreadsheet = open_spreadsheet(LISTS / "organisme-sessions.ods")
    assert spreadsheet.sheet("Inscriptions").width < 20


def test_shared_strings_used_once_each_pass(tmp_path: Path) -> None:
    items = [b"<si><t>" + ("é" * 20_000).encode() + b"</t></si>"] * 3
    shared = [b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">']
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="s"><v>{n - 2}</v></c></row>' for n in (2, 3, 4))
    path = write_xlsx(
        tmp_path / "longs.xlsx", sheet_xml(HEADER_ROW + rows), [*shared, *items, b"</sst>"]
    )
    assert read(path)[1][0] == "é" * 20_000


def test_a_binary_workbook_within_bounds_is_measured_and_read(tmp_path: Path) -> None:
    # Records cut anywhere by the inflater, shared strings, a declared dimension that fits.
    rows: dict[int, list[tuple[int, str | int | None]]] = {0: [(0, "Nom"), (1, "Prénom")]}
    for row in range(1, 3_001):
        rows[row] = [(0, f"NOM{row}"), (1, row % 2)]
    path = write_xlsb(tmp_path / "liste.xlsb", rows, dimension=(3_000, 1), shared=["Anne", "Loïc"])
    values = read(path)
    assert len(values) == 3_001
    assert values[0] == ["Nom", "Prénom"] and values[1] == ["NOM1", "Loïc"]
    assert values[-1] == ["NOM3000", "Anne"]


def test_a_blank_binary_cell_far_away_is_not_counted(tmp_path: Path) -> None:
    # calamine leaves blank cells out of the grid: so does the check (not the declared extent)
    rows: dict[int, list[tuple[int, str | int | None]]] = {
        0: [(0, "Nom")],
        1: [(0, "DUPONT")],
        40_000: [(900, None)],
    }
    path = write_xlsb(tmp_path / "style.xlsb", rows, dimension=(1, 0))
    assert read(path) == [["Nom"], ["DUPONT"]]
