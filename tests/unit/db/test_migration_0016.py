"""Revision 0016 widens the enrollment status CHECK in place and adds ``transferred_to_id``."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from allervers_desktop.db.database import open_database
from allervers_desktop.db.engine import make_engine
from allervers_desktop.db.migrate import upgrade
from allervers_desktop.db.schema_version import HEAD_REVISION
from tests.unit.db.conftest import quick_check, raw, revision_of


def test_existing_enrollments_and_what_refers_to_them_are_kept(
    make_first_revision_file: Callable[..., Path],
) -> None:
    path = make_first_revision_file()
    engine = make_engine(path)
    try:
        upgrade(engine, "0014")
    finally:
        engine.dispose()
    with raw(path) as connection:
        before = {
            table: connection.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
            for table in ("enrollments", "attendances")
        }
    assert before["attendances"]  # attendance refers to the enrollments (ON DELETE RESTRICT)
    open_database(path).close()
    assert revision_of(path) == HEAD_REVISION
    assert quick_check(path) == ["ok"]
    with raw(path) as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        rows = connection.execute("SELECT * FROM enrollments ORDER BY id").fetchall()
        assert [row[:-1] for row in rows] == before["enrollments"]  # + transferred_to_id NULL
        assert {row[-1] for row in rows} == {None}
        attendances = connection.execute("SELECT * FROM attendances ORDER BY id").fetchall()
        assert attendances == before["attendances"]
        first, *_ = (row[0] for row in rows)
        connection.execute("UPDATE enrollments SET status = 'transferred' WHERE id = ?", (first,))
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            connection.execute("UPDATE enrollments SET status = 'moved' WHERE id = ?", (first,))
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            connection.execute(
                "UPDATE enrollments SET transferred_to_id = 999 WHERE id = ?", (first,)
            )
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
