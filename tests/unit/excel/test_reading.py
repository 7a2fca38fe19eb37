"""Reading the formats: xlsx, xlsm, xls, ods and CSV in its encodings and separators."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from allervers_desktop.excel.csv_reading import detect_delimiter
from allervers_desktop.excel.errors import UnreadableFileError
from allervers_desktop.excel.reading import open_spreadsheet
from allervers_desktop.excel.sniffing import FileKind
from tests.unit.excel.conftest import LISTS


@pytest.mark.parametrize(
    ("name", "kind", "sheets"),
    [
        ("employeur-lignes-de-titre.xlsx", FileKind.XLSX, ["Inscriptions"]),
        ("macros.xlsm", FileKind.XLSM, ["Inscrits"]),
        ("organisme-stagiaire.xls", FileKind.XLS, ["Liste"]),
        ("organisme-sessions.ods", FileKind.ODS, ["Consignes", "Inscriptions"]),
        ("liste-windows-1252.csv", FileKind.CSV, ["liste-windows-1252"]),
    ],
)
def test_formats_and_sheets(name: str, kind: FileKind, sheets: list[str]) -> None:
    spreadsheet = open_spreadsheet(LISTS / name)
    assert spreadsheet.kind is kind
    assert spreadsheet.sheet_names == sheets
    assert len(spreadsheet.sha256) == 64


def test_rows_keep_excel_row_numbers_and_types() -> None:
    table = open_spreadsheet(LISTS / "organisme-stagiaire.xls").sheet("Liste")
    assert table.rows[0][0] == "PRAXIS — liste des stagiaires « Aller vers » (Grand Est)"
    assert list(table.rows[1][:2]) == ["N°", "Stagiaire"]  # Excel row 2
    assert table.rows[4][5] == dt.date(2023, 10, 16)  # a real date cell, from LibreOffice


def test_xlsx_title_lines_and_empty_rows_are_kept_in_place() -> None:
    table = open_spreadsheet(LISTS / "employeur-lignes-de-titre.xlsx").sheet()
    assert table.rows[3][1] == "NOM de naissance"  # Excel row 4
    assert all(value in (None, "") for value in table.rows[6])  # Excel row 7 is empty
    assert table.rows[4][4] == 389201020


def test_windows_1252_text() -> None:
    table = open_spreadsheet(LISTS / "liste-windows-1252.csv").sheet()
    assert table.rows[2][0] == "Civilité"
    assert table.rows[4][1] == "LŒUVRE"


@pytest.mark.parametrize(
    ("encoding", "separator", "description"),
    [
        ("utf-8", ";", "CSV UTF-8, séparateur point-virgule"),
        ("utf-8-sig", ",", "CSV UTF-8, séparateur virgule"),
        ("cp1252", "\t", "CSV Windows-1252, séparateur tabulation"),
        ("utf-16", "\t", "CSV UTF-16, séparateur tabulation"),
        ("utf-8", "|", "CSV UTF-8, séparateur barre verticale"),
    ],
)
def test_csv_encodings_and_separators(
    tmp_path: Path, encoding: str, separator: str, description: str
) -> None:
    lines = [["Nom", "Prénom", "Établissement"], ["MÉNARD", "Zoé", "Foyer, Saint-Éloi"]]
    text = "\r\n".join(
        separator.join(f'"{cell}"' if separator in cell or "," in cell else cell for cell in row)
        for row in lines
    )
    path = tmp_path / "liste.csv"
    path.write_bytes(text.encode(encoding))
    spreadsheet = open_spreadsheet(path)
    assert spreadsheet.description == description
    assert list(spreadsheet.sheet().rows[1]) == ["MÉNARD", "Zoé", "Foyer, Saint-Éloi"]


def test_delimiter_detection_ignores_commas_inside_cells() -> None:
    text = "Nom;Fonction\nDUPONT;Chef de service, pôle A\nMARTIN;Éducateur, nuit\n"
    assert detect_delimiter(text) == ";"


def test_text_with_a_nul_byte_is_binary(tmp_path: Path) -> None:
    path = tmp_path / "liste.csv"
    path.write_bytes(b'Nom;Pr\xc3\xa9nom\nDUPONT;"Marie\x00\n')
    with pytest.raises(UnreadableFileError, match="contenu est binaire"):
        open_spreadsheet(path)
