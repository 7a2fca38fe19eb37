"""Property tests: arbitrary cells never crash the importer and never leave a partial write."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Employer, Enrollment, Participant
from allervers_desktop.excel.errors import OperationCancelled, UnreadableFileError
from allervers_desktop.excel.export import export_participants
from allervers_desktop.excel.importer import ImportOptions, apply_import, preview_import
from allervers_desktop.excel.layout import prepare_sheet
from allervers_desktop.excel.reading import (
    CellValue,
    SheetTable,
    SpreadsheetFile,
    open_spreadsheet_bytes,
)
from allervers_desktop.excel.sniffing import FileKind
from allervers_desktop.services.errors import ServiceError
from tests.conftest import ON_SERVER
from tests.unit.excel.conftest import snapshot

HEADERS = [
    "Civilité",
    "Nom",
    "Prénom",
    "E-mail",
    "Téléphone",
    "Fonction",
    "Établissement",
    "Ville",
    "Groupe",
    "Statut",
    "Nom Prénom",
    "Observations",
    "Date d'inscription",
]
SAMPLES = [
    "DUPONT",
    "Marie",
    "DUPONT Marie",
    "marie@exemple.fr",
    "MARIE@EXEMPLE.FR",
    "Mme",
    "M.",
    "Groupe 1",
    "Groupe 2",
    "METZ",
    "25/09/2023",
    "16/10/2023",
    "Total : 3 inscrits",
    "Foyer Saint-Éloi",
    "Colmar",
    "03 88 10 20 30",
    '=HYPERLINK("x")',
    "+33",
    "Confirmé",
    "Annulé",
    "helene.muller@exemple.fr",
    "MULLER",
    "Hélène",
    "a@b",
    "",
]

cells = st.one_of(
    st.none(),
    st.sampled_from(SAMPLES),
    st.sampled_from(SAMPLES),
    st.text(max_size=30),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    st.times(),
)
rows = st.lists(st.lists(cells, max_size=8).map(tuple), max_size=12)
headers = st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8, unique=True).map(
    lambda names: names if {"Nom", "Nom Prénom"} & set(names) else ["Nom", *names]
)
PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class Rollback(Exception):
    """Raised to roll an example's transaction back."""


def sheet_file(table: SheetTable) -> SpreadsheetFile:
    digest = hashlib.sha256(repr(table.rows).encode()).hexdigest()
    return SpreadsheetFile(
        Path("grille.xlsx"),
        FileKind.XLSX,
        digest,
        [table.name],
        "",
        _sheets={table.name: table},
    )


def counts(database: Database) -> tuple[int, int, int]:
    with database.session() as session:
        return (
            session.scalar(select(func.count()).select_from(Participant)) or 0,
            session.scalar(select(func.count()).select_from(Enrollment)) or 0,
            session.scalar(select(func.count()).select_from(Employer)) or 0,
        )


@PROPERTY_SETTINGS
@given(
    header=headers,
    body=rows,
    group=st.sampled_from([None, 1, 2]),
    title_lines=st.integers(0, 3),
)
def test_arbitrary_cells_never_crash_and_write_consistently(
    demo_database: Database,
    header: list[str],
    body: list[tuple[CellValue, ...]],
    group: int | None,
    title_lines: int,
) -> None:
    table = SheetTable("Feuil1", [("Titre",)] * title_lines + [tuple(header), *body])
    spreadsheet = sheet_file(table)
    before = counts(demo_database)
    try:
        layout = prepare_sheet(spreadsheet)
    except UnreadableFileError as exc:
        assert exc.message
        return
    options = ImportOptions(group_id=group)
    try:
        with demo_database.session() as session:
            preview = preview_import(session, spreadsheet, layout, options)
        with demo_database.transaction() as session:
            report = apply_import(session, spreadsheet, layout, options)
            c = report.counts
            people, enrollments, employers = (
                session.scalar(select(func.count()).select_from(Participant)),
                session.scalar(select(func.count()).select_from(Enrollment)),
                session.scalar(select(func.count()).select_from(Employer)),
            )
            assert people == before[0] + c.created
            assert enrollments == before[1] + c.enrolled + c.waitlisted
            assert employers == before[2] + c.employers_created
            assert preview.counts == report.counts
            event(f"participants created: {bool(c.created)}")
            event(f"rows skipped: {bool(c.skipped)}")
            assert {row.outcome.value for row in report.rows} <= {
                "created",
                "merged",
                "unchanged",
                "skipped",
                "conflict",
            }
            raise Rollback
    except Rollback:
        pass
    except ServiceError as exc:  # a clear refusal is fine, a crash is not
        assert exc.message
    assert counts(demo_database) == before


@PROPERTY_SETTINGS
@given(body=rows, stop_after=st.integers(0, 40))
def test_a_cancel_at_any_point_leaves_nothing_written(
    demo_database: Database, body: list[tuple[CellValue, ...]], stop_after: int
) -> None:
    header = ("Nom", "Prénom", "E-mail", "Établissement", "Ville", "Groupe")
    spreadsheet = sheet_file(SheetTable("Feuil1", [header, *body]))
    layout = prepare_sheet(spreadsheet)
    before = snapshot(demo_database)
    calls = 0

    def progress(done: int, total: int) -> bool:
        nonlocal calls
        calls += 1
        return calls <= stop_after

    try:
        with demo_database.transaction() as session:
            apply_import(session, spreadsheet, layout, ImportOptions(), progress)
            raise Rollback  # finished before the cancel: undo it for the next example
    except (OperationCancelled, Rollback):
        pass
    assert snapshot(demo_database) == before


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=2048), suffix=st.sampled_from([".xlsx", ".xls", ".ods", ".csv"]))
def test_arbitrary_bytes_are_read_or_refused_clearly(data: bytes, suffix: str) -> None:
    try:
        spreadsheet = open_spreadsheet_bytes(data, Path(f"liste{suffix}"))
        for name in spreadsheet.sheet_names:
            spreadsheet.sheet(name)
    except UnreadableFileError as exc:
        assert exc.message.startswith(("Le fichier « liste", "Le classeur « liste"))


# PostgreSQL stores no NUL character in text (imports remove control characters before).
texts = st.text(
    alphabet=st.characters(
        blacklist_categories=["Cs"], blacklist_characters=["\x00"] if ON_SERVER else []
    ),
    min_size=1,
    max_size=40,
).filter(lambda text: text.strip() != "")


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(job=texts, phone=texts)
def test_exported_text_reads_back_as_the_same_text(
    demo_database: Database, tmp_path: Path, job: str, phone: str
) -> None:
    from allervers_desktop.excel.xlsx_writing import clean_text

    with demo_database.transaction() as session:
        person = session.get_one(Participant, 1)
        person.job_title, person.phone = job, phone
    target = tmp_path / "annuaire.xlsx"
    with demo_database.session() as session:
        export_participants(session, target)
    sheet = openpyxl.load_workbook(target)["Participants"]
    row = next(r for r in sheet.iter_rows(min_row=6) if r[6].value == "helene.muller@exemple.fr")
    assert (row[3].value or "") == clean_text(job)
    assert (row[7].value or "") == clean_text(phone)
    assert all(cell.data_type != "f" for cell in row)


def test_property_strategies_reach_the_importer(demo_database: Database) -> None:
    """Guard against a strategy that would only ever produce refused sheets."""
    table = SheetTable("Feuil1", [tuple(HEADERS[:4]), ("Mme", "DUPONT", "Marie", "m@exemple.fr")])
    spreadsheet = sheet_file(table)
    with demo_database.transaction() as session:
        report = apply_import(session, spreadsheet, prepare_sheet(spreadsheet))
    assert report.counts.created == 1


@pytest.mark.parametrize("value", ["\x00", "a\x1fb", "x" * 40000])
def test_clean_text_limits(value: str) -> None:
    from allervers_desktop.excel.xlsx_writing import MAX_CELL_TEXT, clean_text

    cleaned = clean_text(value)
    assert len(cleaned) <= MAX_CELL_TEXT
    assert not any(ord(ch) < 32 and ch not in "\t\n\r" for ch in cleaned)
