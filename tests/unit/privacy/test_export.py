"""« Exporter ses données »: a JSON and a workbook that read back, written atomically, logged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from allervers_desktop.db.database import Database
from allervers_desktop.excel.importer import ImportOptions, apply_import
from allervers_desktop.excel.layout import prepare_sheet
from allervers_desktop.excel.reading import open_spreadsheet
from allervers_desktop.files.errors import FileWriteError
from allervers_desktop.privacy import log
from allervers_desktop.privacy.erasure import erase_participant
from allervers_desktop.privacy.export import export_person
from tests.unit.excel.conftest import LISTS, snapshot
from tests.unit.privacy.conftest import ATTESTATION_NUMBER, KEPT_UNTIL, TODAY


def test_export_holds_everything_and_reads_back(aged_database: Database, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    spreadsheet = open_spreadsheet(LISTS / "conflits.xlsx")
    options = ImportOptions(decisions={"p1.phone": "replace"})
    with aged_database.transaction() as session:
        apply_import(session, spreadsheet, prepare_sheet(spreadsheet), options)
    with aged_database.transaction() as session:
        result = export_person(session, 1, out, TODAY)
    assert result.json_path == out / "donnees-participant-1.json"
    # A person's data is readable by the user alone, and nothing is left beside it.
    assert {p.name: p.stat().st_mode & 0o777 for p in out.iterdir()} == {
        "donnees-participant-1.json": 0o600,
        "donnees-participant-1.xlsx": 0o600,
    }
    data = json.loads(result.json_path.read_text(encoding="utf-8"))
    assert data["participant"]["last_name"] == "MULLER"
    assert data["participant"]["phone"] == "+33611223344"
    assert data["employer"]["name"] == "Association Le Relais de l'Ill"
    [enrollment] = data["enrollments"]
    assert enrollment["group"] == "Groupe 1" and enrollment["hours_attended"] == 14
    assert len(enrollment["attendance"]) == 4
    assert [d["number"] for d in data["issued_documents"]] == [ATTESTATION_NUMBER]
    [batch] = data["import_history"]
    assert batch["file_name"] == "conflits.xlsx"
    assert batch["changes"][0]["previous"]["phone"] == "+33388102030"
    assert any(c["field"] == "phone" for c in batch["conflicts"])
    assert data["retention"]["documents_kept_until"] == KEPT_UNTIL.isoformat()

    workbook = load_workbook(result.xlsx_path, read_only=True)
    try:
        assert workbook.sheetnames == [
            "Identité",
            "Inscriptions",
            "Présences",
            "Documents",
            "Imports",
            "Journal RGPD",
        ]
        identity = [row for row in workbook["Identité"].iter_rows(values_only=True)]
        assert ("Nom", "MULLER") in identity and ("E-mail", "helene.muller@exemple.fr") in identity
        documents = list(workbook["Documents"].iter_rows(values_only=True))
        assert any(ATTESTATION_NUMBER in row for row in documents)
        imports = list(workbook["Imports"].iter_rows(values_only=True))
        assert any("conflits.xlsx" in row for row in imports)
    finally:
        workbook.close()
    with aged_database.session() as session:
        [line] = log.entries(session, 1)
    assert line.action == "export" and "MULLER" not in line.summary
    # No temporary file is left beside the exports.
    assert sorted(p.name for p in out.iterdir()) == [
        "donnees-participant-1.json",
        "donnees-participant-1.xlsx",
    ]


def test_export_after_anonymisation_shows_what_remains(
    aged_database: Database, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with aged_database.transaction() as session:
        erase_participant(session, 15, TODAY)
        result = export_person(session, 15, out, TODAY)
    data = json.loads(result.json_path.read_text(encoding="utf-8"))
    assert data["participant"]["last_name"] == "Anonyme"
    assert data["participant"]["email"] is None
    assert data["participant"]["anonymised_at"] is not None
    assert [e["action"] for e in data["privacy_log"]] == ["erase"]


def test_a_failed_export_leaves_nothing(aged_database: Database, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "donnees-participant-1.xlsx").mkdir()  # the workbook cannot take its name
    before = snapshot(aged_database)
    with pytest.raises(FileWriteError) as raised, aged_database.transaction() as session:
        export_person(session, 1, out, TODAY)
    assert raised.value.message == f"« {out / 'donnees-participant-1.xlsx'} » est un dossier."
    assert "Is a directory" not in raised.value.message
    assert snapshot(aged_database) == before  # not logged
    leftovers = sorted(p.name for p in out.iterdir())
    # The JSON written just before is removed too: an export is both files or nothing.
    assert leftovers == ["donnees-participant-1.xlsx"]
    assert (out / "donnees-participant-1.xlsx").is_dir()


def test_export_into_a_missing_folder(aged_database: Database, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    missing = pytest.raises(FileWriteError, match="n'existe pas")
    with missing, aged_database.transaction() as session:
        export_person(session, 1, out / "absent", TODAY)
