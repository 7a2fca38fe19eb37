"""Revision 0008 (presence times, trainers per half-day, unlocks) upgrades a 0004 file with data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from allervers_desktop.db.database import open_database
from allervers_desktop.db.engine import make_engine
from allervers_desktop.db.migrate import upgrade
from allervers_desktop.db.models import Attendance, IssuedDocument
from allervers_desktop.db.schema_version import HEAD_REVISION
from allervers_desktop.services.attendance import minutes_attended
from allervers_desktop.services.teaching import half_day_trainers
from tests.unit.db.conftest import FIRST_REVISION_ROWS, columns_of, dump, raw, revision_of

pytestmark = pytest.mark.sqlite_only(reason="an SQLite file written at an older revision")

# At 0004: the afternoon « en retard » without a time (as 0004 allowed), and an attestation
# issued with the 7 hours this counted.
AT_0004 = """
INSERT INTO attendances (id, enrollment_id, half_day_id, status, reason, recorded_at)
VALUES (2, 1, 2, 'late', '', '2023-09-25 17:00:00.000000');
INSERT INTO issued_documents (id, kind, number, enrollment_id, first_issued_at,
    last_printed_at, print_count, hours_attended)
VALUES (1, 'attestation', 'ATT-2023-0001', 1, '2023-09-26 10:00:00.000000',
    '2023-09-26 10:00:00.000000', 1, 7.0);
"""


def test_a_0004_file_with_attendance_upgrades_with_nothing_lost(
    make_first_revision_file: Callable[..., Path],
) -> None:
    path = make_first_revision_file()
    engine = make_engine(path)
    try:
        upgrade(engine, "0004")
    finally:
        engine.dispose()
    with raw(path) as connection:
        connection.executescript(AT_0004)
        connection.commit()
    assert revision_of(path) == "0004"
    tables = [*FIRST_REVISION_ROWS, "issued_documents"]
    before = dump(path, tables)
    old_columns = columns_of(path, tables)

    database = open_database(path)
    try:
        assert revision_of(path) == HEAD_REVISION
        assert database.backup_path is not None
        assert dump(path, tables, old_columns) == before
        with database.session() as session:
            records = session.scalars(select(Attendance).order_by(Attendance.id)).all()
            assert [(r.status, r.arrived_at, r.left_at) for r in records] == [
                ("present", None, None),
                ("late", dt.time(13, 30), None),  # the start: the hours it counted are kept
            ]
            assert minutes_attended(session, 1) == 7 * 60
            document = session.scalars(select(IssuedDocument)).one()
            assert (document.number, document.hours_attended) == ("ATT-2023-0001", 7.0)
            taught = half_day_trainers(session, 1)
            assert {half: [t.last_name for t in trainers] for half, trainers in taught.items()} == {
                1: ["CORNIER"],
                2: ["CORNIER"],
            }
    finally:
        database.close()
