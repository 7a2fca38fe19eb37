"""Exports read back cell by cell: rosters, course workbook, directory, formula injection."""

from __future__ import annotations

import datetime as dt
import gc
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Employer, Enrollment, GroupDay, HalfDay, Participant
from allervers_desktop.excel.errors import ExportError, OperationCancelled
from allervers_desktop.excel.export import (
    ROSTER_HEADERS,
    export_course_workbook,
    export_group_roster,
    export_participants,
)
from allervers_desktop.excel.importer import import_file
from allervers_desktop.services.attendance import record_attendance
from allervers_desktop.services.errors import NotFoundError
from tests.unit.excel.conftest import snapshot

GROUP_1, GROUP_2, COURSE = 1, 2, 1
HEADER_ROW = 9  # heading, 6 title lines, a blank line


def read(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path)


def row_values(sheet: object, row: int) -> list[object]:
    return [cell.value for cell in sheet[row]]  # type: ignore[index]


def rows_index(sheet: Any, email: str) -> int:
    return next(r for r in range(HEADER_ROW + 1, 40) if sheet.cell(r, 7).value == email)


def record(database: Database, email: str, statuses: list[str]) -> None:
    """Attendance for a participant of group 1, one status per half-day in order."""
    with database.transaction() as session:
        enrollment = session.scalars(
            select(Enrollment)
            .join(Participant)
            .where(Participant.email == email, Enrollment.group_id == GROUP_1)
        ).one()
        halves = session.scalars(
            select(HalfDay)
            .join(GroupDay)
            .where(GroupDay.group_id == GROUP_1)
            .order_by(GroupDay.date, HalfDay.period)
        ).all()
        for half, status in zip(halves, statuses, strict=False):
            arrived = dt.time(half.start_time.hour, 50) if status == "late" else None
            record_attendance(session, enrollment.id, half.id, status, arrived_at=arrived)


def test_roster_title_block_header_and_rows(demo_database: Database, tmp_path: Path) -> None:
    target = tmp_path / "groupe-1.xlsx"
    with demo_database.session() as session:
        result = export_group_roster(session, GROUP_1, target)
    assert result.rows == 10 and result.sheets == ["Groupe 1 Strasbourg"]
    sheet = read(target)["Groupe 1 Strasbourg"]
    assert sheet["A1"].value == "Liste des participants — Groupe 1 (Strasbourg)"
    assert sheet["A1"].font.b
    assert row_values(sheet, 2)[:2] == ["Formation", "La pratique de l'Aller Vers les publics"]
    assert row_values(sheet, 3)[1] == "Module 1 « Aller vers : une nécessaire préparation »"
    assert row_values(sheet, 4)[:2] == ["Groupe", "Groupe 1"]
    assert str(row_values(sheet, 5)[1]).startswith("Strasbourg — PRAXIS")
    assert sheet["A6"].value == "Dates"
    assert sheet["B6"].is_date and sheet["B6"].value == dt.datetime(2023, 9, 25)
    assert sheet["C6"].value == dt.datetime(2023, 9, 26)
    assert sheet["B6"].number_format == "DD/MM/YYYY"
    assert row_values(sheet, 7)[:2] == ["Intervenants", "Chantal CORNIER, Jean-Xavier COUROT"]
    assert row_values(sheet, HEADER_ROW) == ROSTER_HEADERS
    assert all(cell.font.b for cell in sheet[HEADER_ROW])
    first = row_values(sheet, HEADER_ROW + 1)
    assert first == [
        "Mme",
        "BAUER",
        "Zoé",
        "Conseillère en économie sociale et familiale",
        "Foyer Saint-Éloi",
        "Colmar",
        "zoe.bauer@exemple.fr",
        "03 88 15 25 35",
        "Confirmé",
    ]
    names = [sheet.cell(row, 2).value for row in range(HEADER_ROW + 1, HEADER_ROW + 11)]
    assert names == sorted(names)
    assert sheet.max_row == HEADER_ROW + 10
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert sheet.auto_filter.ref == f"A{HEADER_ROW}:I{HEADER_ROW + 10}"
    assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDEFGHI"]
    assert widths[3] > widths[0]  # Fonction is wider than Civilité
    assert all(6 <= width <= 51 for width in widths)


def test_roster_with_attendance_has_half_days_and_hours(
    demo_database: Database, tmp_path: Path
) -> None:
    record(demo_database, "helene.muller@exemple.fr", ["present", "late", "absent", "excused"])
    target = tmp_path / "presences.xlsx"
    with demo_database.session() as session:
        export_group_roster(session, GROUP_1, target)
    sheet = read(target).active
    headers = row_values(sheet, HEADER_ROW)
    assert headers[9:] == [
        "lun. 25/09 matin",
        "lun. 25/09 après-midi",
        "mar. 26/09 matin",
        "mar. 26/09 après-midi",
        "Heures réalisées",
    ]
    rows = {sheet.cell(r, 7).value: row_values(sheet, r) for r in range(HEADER_ROW + 1, 20)}
    muller = rows["helene.muller@exemple.fr"]
    # Late at 13 h 50 on the 13 h 30 – 17 h 00 afternoon: 3 h 10 of it, 6 h 40 in all.
    assert muller[9:] == [
        "Présent",
        "En retard (arrivée 13 h 50)",
        "Absent",
        "Excusé",
        dt.timedelta(hours=6, minutes=40),
    ]
    assert sheet.cell(rows_index(sheet, "helene.muller@exemple.fr"), 14).number_format == (
        '[h]" h "mm'
    )
    bauer = rows["zoe.bauer@exemple.fr"]
    assert bauer[9:] == [None, None, None, None, dt.timedelta(0)]
    assert sheet.auto_filter.ref == f"A{HEADER_ROW}:N{HEADER_ROW + 10}"


def test_no_value_is_ever_written_as_a_formula(demo_database: Database, tmp_path: Path) -> None:
    tricky = {
        "last_name": '=HYPERLINK("http://x","clic")',
        "first_name": "+Marie",
        "job_title": "-2+3",
        "phone": "+33 6 12 34 56 78",
        "notes": "",
    }
    with demo_database.transaction() as session:
        person = session.scalars(
            select(Participant).where(Participant.email == "helene.muller@exemple.fr")
        ).one()
        for name, value in tricky.items():
            setattr(person, name, value)
        employer = session.get_one(Employer, person.employer_id)
        employer.name = "@SOMME(A1:A9)"
        employer.city = "=1+1\x07"
    target = tmp_path / "injection.xlsx"
    with demo_database.session() as session:
        export_group_roster(session, GROUP_1, target)
        export_participants(session, tmp_path / "annuaire.xlsx")
    for path in (target, tmp_path / "annuaire.xlsx"):
        sheet = read(path).active
        header = 9 if path == target else 5
        rows = [row_values(sheet, r) for r in range(header + 1, sheet.max_row + 1)]
        row = next(r for r in rows if r[6] == "helene.muller@exemple.fr")
        assert row[:8] == [
            "Mme",
            '=HYPERLINK("HTTP://X","CLIC")',  # the NOM column is upper-case
            "+Marie",
            "-2+3",
            "@SOMME(A1:A9)",
            "=1+1",  # the control character is dropped
            "helene.muller@exemple.fr",
            "+33 6 12 34 56 78",
        ]
        for cells in sheet.iter_rows(min_row=header + 1):
            for cell in cells:
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                    assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("xl/worksheets/sheet1.xml").decode()
        assert "<f>" not in xml and "<f " not in xml


def test_course_workbook_has_a_summary_and_a_sheet_per_group(
    demo_database: Database, tmp_path: Path
) -> None:
    target = tmp_path / "formation.xlsx"
    with demo_database.session() as session:
        result = export_course_workbook(session, COURSE, target)
    workbook = read(target)
    assert workbook.sheetnames == ["Synthèse", "Groupe 1 Strasbourg", "Groupe 2 Metz"]
    assert result.rows == 2 + 10 + 11
    summary = workbook["Synthèse"]
    assert summary["A1"].value == "Synthèse — La pratique de l'Aller Vers les publics"
    header = 7  # heading, 4 title lines, a blank line
    assert row_values(summary, header)[:4] == ["Groupe", "Ville", "Début", "Fin"]
    assert row_values(summary, header + 1) == [
        "Groupe 1",
        "Strasbourg",
        dt.datetime(2023, 9, 25),
        dt.datetime(2023, 9, 26),
        "Confirmé",
        15,
        10,
        0,
        dt.timedelta(hours=14),
        "Chantal CORNIER, Jean-Xavier COUROT",
    ]
    assert row_values(summary, header + 2)[:2] == ["Groupe 2", "Metz"]
    assert workbook["Groupe 2 Metz"].max_row == HEADER_ROW + 11


def test_participants_directory(demo_database: Database, tmp_path: Path) -> None:
    target = tmp_path / "annuaire.xlsx"
    with demo_database.session() as session:
        result = export_participants(session, target)
    assert result.rows == 21
    sheet = read(target)["Participants"]
    assert sheet["A1"].value == "Annuaire des participants"
    assert sheet["B2"].value == dt.datetime.combine(dt.date.today(), dt.time())
    assert sheet["B3"].value == 21
    assert row_values(sheet, 5)[-2:] == ["Formations suivies", "Ajouté le"]
    bauer = row_values(sheet, 6)
    assert bauer[1] == "BAUER"
    assert bauer[8] == "Groupe 1 – Strasbourg (25/09/2023)"
    assert isinstance(bauer[9], dt.datetime)
    assert sheet.max_row == 5 + 21


@pytest.mark.parametrize("what", ["roster", "course", "directory"])
def test_an_exported_file_reimported_changes_nothing(
    demo_database: Database, tmp_path: Path, what: str
) -> None:
    record(demo_database, "helene.muller@exemple.fr", ["present", "present"])
    target = tmp_path / f"{what}.xlsx"
    with demo_database.session() as session:
        if what == "roster":
            export_group_roster(session, GROUP_1, target)
        elif what == "course":
            export_course_workbook(session, COURSE, target)
        else:
            export_participants(session, target)
    before = snapshot(demo_database)
    # (sheet, group chosen for the import) pairs; the directory spans both groups.
    all_runs: dict[str, list[tuple[str | None, int | None]]] = {
        "roster": [(None, None), (None, GROUP_1)],
        "course": [
            ("Groupe 1 Strasbourg", None),
            ("Groupe 1 Strasbourg", GROUP_1),
            ("Groupe 2 Metz", GROUP_2),
        ],
        "directory": [(None, None)],
    }
    runs = all_runs[what]
    for sheet, group_id in runs:
        report = import_file(demo_database, target, sheet=sheet, group_id=group_id)
        assert not report.has_changes, report.to_json()
        assert report.conflicts == []
        assert report.counts.skipped == 0
        assert (
            report.summary() == "Aucune modification : le contenu du fichier est déjà dans la base."
        )
    assert snapshot(demo_database) == before


def test_export_replaces_an_existing_file(demo_database: Database, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "liste.xlsx"
    target.write_bytes(b"ancien contenu")
    with demo_database.session() as session:
        export_group_roster(session, GROUP_2, target)
    assert read(target).active["A1"].value == "Liste des participants — Groupe 2 (Metz)"
    assert sorted(path.name for path in folder.iterdir()) == ["liste.xlsx"]


def test_cancelled_export_leaves_the_existing_file(demo_database: Database, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "liste.xlsx"
    target.write_bytes(b"ancien contenu")
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return done == 0

    with (
        demo_database.session() as session,
        pytest.raises(
            OperationCancelled, match=re.escape("Export annulé : aucun fichier n'a été écrit.")
        ),
    ):
        export_participants(session, target, progress)
    assert target.read_bytes() == b"ancien contenu"
    assert sorted(path.name for path in folder.iterdir()) == ["liste.xlsx"]
    assert calls[0] == (0, 21)


def test_failed_save_leaves_the_existing_file(
    demo_database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "liste.xlsx"
    target.write_bytes(b"ancien contenu")

    def broken_save(self: object, filename: str) -> None:
        Path(filename).write_bytes(b"moitie")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken_save)
    with demo_database.session() as session, pytest.raises(ExportError) as caught:
        export_group_roster(session, GROUP_1, target)
    assert caught.value.message == (
        f"Le fichier « {target} » n'a pas pu être écrit : le disque est plein. "
        "Libérez de la place ou choisissez un autre emplacement."
    )
    assert target.read_bytes() == b"ancien contenu"
    assert sorted(path.name for path in folder.iterdir()) == ["liste.xlsx"]
    # Nothing of the failed workbook is left for the collector to finish (it would write
    # into closed files and raise « Exception ignored in generator » in a later test).
    gc.collect()


def test_export_refuses_a_missing_folder_or_another_extension(
    demo_database: Database, tmp_path: Path
) -> None:
    with demo_database.session() as session:
        with pytest.raises(ExportError, match="n'existe pas"):
            export_participants(session, tmp_path / "absent" / "liste.xlsx")
        with pytest.raises(ExportError, match=re.escape("doit avoir l'extension .xlsx")):
            export_participants(session, tmp_path / "liste.csv")
        with pytest.raises(NotFoundError, match=re.escape("Aucun groupe ne porte le numéro 9.")):
            export_group_roster(session, 9, tmp_path / "liste.xlsx")
        with pytest.raises(
            NotFoundError, match=re.escape("Aucune formation ne porte le numéro 9.")
        ):
            export_course_workbook(session, 9, tmp_path / "liste.xlsx")
