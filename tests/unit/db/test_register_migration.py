"""Migration 0009: issued documents of a 0004 file become version 1 of the register."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from allervers_desktop.db.database import open_database
from allervers_desktop.db.engine import make_engine
from allervers_desktop.db.migrate import upgrade
from allervers_desktop.db.models import Attendance, DocumentCounter, IssuedDocument
from allervers_desktop.documents.issuing import prepare_certificates
from allervers_desktop.documents.model import DocumentKind
from allervers_desktop.documents.register import document_register
from allervers_desktop.services import attendance
from tests.unit.db.conftest import FIRST_REVISION_ROWS, insert_rows, raw, revision_of

pytestmark = pytest.mark.sqlite_only(reason="an SQLite file written at an older revision")

ISSUED = [
    {
        "id": 1,
        "kind": "attestation",
        "number": "ATT-2023-0003",
        "enrollment_id": 1,
        "first_issued_at": "2023-09-27 10:15:00.000000",
        "last_printed_at": "2023-10-02 09:00:00.000000",
        "print_count": 2,
        "hours_attended": 3.5,
    },
    {
        "id": 2,
        "kind": "realisation",
        "number": "CR-2023-0001",
        "enrollment_id": 1,
        "first_issued_at": "2023-09-28 11:00:00.000000",
        "last_printed_at": "2023-09-28 11:00:00.000000",
        "print_count": 1,
        "hours_attended": 3.5,
    },
]


def _file_at_0004(path: Path) -> Path:
    engine = make_engine(path)
    try:
        upgrade(engine, "0004")
    finally:
        engine.dispose()
    with raw(path) as connection:
        insert_rows(connection, {**FIRST_REVISION_ROWS, "issued_documents": ISSUED})
        connection.commit()
    assert revision_of(path) == "0004"
    return path


def test_issued_documents_become_version_one_and_nothing_is_lost(tmp_path: Path) -> None:
    path = _file_at_0004(tmp_path / "ancienne.sqlite3")
    database = open_database(path)
    try:
        assert database.backup_path is not None and database.backup_path.exists()
        with database.session() as session:
            entries = document_register(session)
            assert [(e.number, e.kind.value, e.state, e.legacy) for e in entries] == [
                ("ATT-2023-0003", "attestation", "valid", True),
                ("CR-2023-0001", "realisation", "valid", True),
            ]
            first = entries[0]
            assert first.issued_on == dt.date(2023, 9, 27)
            assert first.created_at == dt.datetime(2023, 9, 27, 10, 15)
            assert first.print_count == 2 and first.hours_attended == 3.5
            assert not first.backdated and first.replaces == "" and first.replaced_by == ""
            assert first.participant_name == "MÜLLER Hélène"
            counters = {
                (c.kind, c.year): c.last_number for c in session.scalars(select(DocumentCounter))
            }
            assert counters == {("attestation", 2023): 3, ("realisation", 2023): 1}
            assert [(a.enrollment_id, a.half_day_id, a.status) for a in
                    session.scalars(select(Attendance))] == [(1, 1, "present")]  # fmt: skip

        # Same hours as recorded: the reprint keeps the number and records today's data.
        with database.transaction() as session:
            certificates, report = prepare_certificates(
                session, DocumentKind.ATTESTATION, 1, issued_on=dt.date(2023, 9, 29)
            )
        assert [c.number for c in certificates] == ["ATT-2023-0003"]
        assert certificates[0].issued_on == dt.date(2023, 9, 27)
        assert any("contenu antérieur au journal" in line for line in report.warnings)
        with database.session() as session:
            document = session.get_one(IssuedDocument, 1)
            assert document.content is not None

        # Hours changed since: no identical reprint is possible, a corrected version is.
        with database.transaction() as session:
            attendance.set_cell(session, 1, 2, "present")
        with database.transaction() as session:
            certificates, report = prepare_certificates(session, DocumentKind.REALISATION, 1)
        assert certificates == []
        assert any("CR-2023-0001 (contenu antérieur au journal)" in line for line in report.skipped)
        with database.transaction() as session:
            certificates, report = prepare_certificates(
                session, DocumentKind.REALISATION, 1, issued_on=dt.date(2023, 10, 1), reissue=True
            )
        assert [(c.number, c.replaces_number) for c in certificates] == [
            ("CR-2023-0002", "CR-2023-0001")
        ]
        assert certificates[0].hours_attended == 7
        with database.session() as session:
            states = {e.number: (e.state, e.replaced_by) for e in document_register(session)}
        assert states["CR-2023-0001"] == ("cancelled", "CR-2023-0002")
        assert states["CR-2023-0002"] == ("valid", "")
    finally:
        database.close()
