"""Revision 0011 rewrites phones in E.164, keeps unreadable ones as typed, adds employer fields."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from allervers_desktop.db.database import open_database
from allervers_desktop.db.engine import make_engine
from allervers_desktop.db.migrate import upgrade
from allervers_desktop.db.schema_version import HEAD_REVISION
from tests.unit.db.conftest import raw, revision_of

PHONES = """
UPDATE participants SET phone = '06.45.67.89.01';
UPDATE trainers SET phone = 'poste 12';
UPDATE training_providers SET contact_phone = '03 88 00 00 00';
"""


def test_phones_normalised_with_nothing_lost(
    make_first_revision_file: Callable[..., Path],
) -> None:
    path = make_first_revision_file()
    engine = make_engine(path)
    try:
        upgrade(engine, "0010")
    finally:
        engine.dispose()
    with raw(path) as connection:
        connection.executescript(PHONES)
        connection.commit()
    database = open_database(path)
    database.close()
    assert revision_of(path) == HEAD_REVISION
    with raw(path) as connection:
        assert connection.execute("SELECT phone FROM participants").fetchall() == [
            ("+33645678901",)
        ]
        assert connection.execute("SELECT phone FROM trainers").fetchall() == [("poste 12",)]
        assert connection.execute("SELECT contact_phone FROM training_providers").fetchall() == [
            ("+33388000000",)
        ]
        employer = connection.execute(
            "SELECT address, siret, finess, contact_name, contact_email FROM employers"
        ).fetchall()
        assert employer == [("", "", "", "", "")]
        indexes = {row[1] for row in connection.execute("PRAGMA index_list(participants)")}
        assert {"ix_participants_name_employer", "ix_participants_phone"} <= indexes
