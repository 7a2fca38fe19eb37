"""Revision 0006 upgrades a 0004 file holding data; privacy works on the upgraded file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from allervers_desktop.db.database import open_database
from allervers_desktop.db.engine import make_engine
from allervers_desktop.db.migrate import upgrade
from allervers_desktop.db.models import ImportBatch, Participant
from allervers_desktop.db.schema_version import HEAD_REVISION
from allervers_desktop.privacy import log
from allervers_desktop.privacy.erasure import erase_participant
from allervers_desktop.privacy.purge import plan_purge
from allervers_desktop.privacy.rules import DEFAULTS
from tests.unit.db.conftest import FIRST_REVISION_ROWS, dump, insert_rows, raw, revision_of

pytestmark = pytest.mark.sqlite_only(reason="an SQLite file written at an older revision")

IMPORT_ROWS: dict[str, list[dict[str, object]]] = {
    "import_batches": [
        {
            "id": 1,
            "file_name": "liste.xlsx",
            "file_path": "/home/coordinatrice/liste.xlsx",
            "sheet_name": "Feuil1",
            "file_sha256": "ab" * 32,
            "group_id": 1,
            "imported_at": "2023-09-02 10:00:00.000000",
            "created_count": 1,
            "updated_count": 0,
            "enrolled_count": 1,
            "waitlisted_count": 0,
            "unchanged_count": 0,
            "skipped_count": 0,
            "report": json.dumps({"created": 1, "skipped": [], "warnings": [], "conflicts": []}),
            "status": "applied",
            "undone_at": None,
        }
    ],
    "import_changes": [
        {
            "id": 1,
            "batch_id": 1,
            "entity": "participant",
            "entity_id": 1,
            "entity_count": 1,
            "action": "created",
            "previous_values": "",
            "new_values": json.dumps(
                [["Mme", "MÜLLER", "Hélène", "helene.muller@exemple.fr", "", "", "", 1]]
            ),
        }
    ],
    "issued_documents": [
        {
            "id": 1,
            "kind": "attestation",
            "number": "ATT-2023-0001",
            "enrollment_id": 1,
            "first_issued_at": "2023-09-26 10:00:00.000000",
            "last_printed_at": "2023-09-26 10:00:00.000000",
            "print_count": 1,
            "hours_attended": 3.5,
        }
    ],
}


def test_a_0004_file_with_data_upgrades(tmp_path: Path) -> None:
    path = tmp_path / "ancienne.sqlite3"
    engine = make_engine(path)
    try:
        upgrade(engine, "0004")
    finally:
        engine.dispose()
    with raw(path) as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        insert_rows(connection, FIRST_REVISION_ROWS)
        insert_rows(connection, IMPORT_ROWS)
        connection.commit()
    tables = [*FIRST_REVISION_ROWS, *IMPORT_ROWS]
    before = dump(path, tables)

    database = open_database(path)
    try:
        assert revision_of(path) == HEAD_REVISION
        after = dump(path, tables)
        # Old rows are kept; later revisions only add columns at the end.
        for table in tables:
            assert [
                row[: len(old)] for row, old in zip(after[table], before[table], strict=True)
            ] == before[table]
        with database.session() as session:
            person = session.get_one(Participant, 1)
            assert (person.contact_erased_at, person.anonymised_at) == (None, None)
            assert session.get_one(ImportBatch, 1).details_purged_at is None
            assert log.entries(session) == []
            plan = plan_purge(session)
        assert [batch.batch_id for batch in plan.batches] == [1]
        with database.transaction() as session:
            done = erase_participant(session, 1)
        kept = DEFAULTS.documents_until(dt.date(2023, 9, 25))
        assert done.action == ("contacts" if kept >= dt.date.today() else "anonymise")
        with database.session() as session:
            changes = session.scalar(select(ImportBatch.report).where(ImportBatch.id == 1))
            assert changes is not None
            assert session.get_one(Participant, 1).email is None
            assert [line.action for line in log.entries(session)] == ["erase"]
    finally:
        database.close()
