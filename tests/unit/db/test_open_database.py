"""Opening a database file: a new file gets the schema at head, pragmas on every connection."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from allervers_desktop.db.database import Database, open_database
from allervers_desktop.db.models import Base, Employer
from allervers_desktop.db.schema_version import HEAD_REVISION
from tests.unit.db.conftest import quick_check, revision_of, table_names

pytestmark = pytest.mark.sqlite_only(reason="opening, checking and backing up the database file")

PRAGMAS = ("foreign_keys", "journal_mode", "synchronous", "busy_timeout")


def pragmas(connection: Connection) -> dict[str, object]:
    return {name: connection.exec_driver_sql(f"PRAGMA {name}").scalar() for name in PRAGMAS}


def check_pragmas(values: dict[str, object]) -> None:
    assert values["foreign_keys"] == 1
    assert values["journal_mode"] == "wal"
    assert values["synchronous"] == 2  # FULL
    assert isinstance(values["busy_timeout"], int)
    assert values["busy_timeout"] > 0


def test_new_file_gets_the_schema_at_head(db_path: Path) -> None:
    assert not db_path.exists()
    database = open_database(db_path)
    try:
        assert database.created
        assert database.backup_path is None
    finally:
        database.close()
    assert revision_of(db_path) == HEAD_REVISION
    assert set(Base.metadata.tables) | {"alembic_version"} == table_names(db_path)
    assert quick_check(db_path) == ["ok"]
    # No backup of a brand-new file, no stray files left beside it after closing.
    assert [p.name for p in db_path.parent.iterdir()] == [db_path.name]


def test_missing_folders_are_created(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "allervers.sqlite3"
    open_database(path).close()
    assert revision_of(path) == HEAD_REVISION


def test_reopening_an_up_to_date_file_neither_backs_up_nor_migrates(db_path: Path) -> None:
    open_database(db_path).close()
    database = open_database(db_path)
    try:
        assert not database.created
        assert database.backup_path is None
        with database.transaction() as session:
            session.add(Employer(name="CCAS de Metz", city="Metz"))
    finally:
        database.close()
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]
    database = open_database(db_path)
    try:
        with database.session() as session:
            assert session.query(Employer).count() == 1
    finally:
        database.close()


def test_zero_length_file_is_treated_as_a_new_database(db_path: Path) -> None:
    db_path.write_bytes(b"")
    database = open_database(db_path)
    database.close()
    assert database.created
    assert revision_of(db_path) == HEAD_REVISION


@pytest.mark.parametrize("folder", ["Mes données #1", "a?b", "x%20y", "espace & co"])
def test_paths_with_url_characters_open_the_right_file(tmp_path: Path, folder: str) -> None:
    root = tmp_path / "root"
    directory = root / folder
    directory.mkdir(parents=True)
    path = directory / "base é.sqlite3"
    open_database(path).close()
    open_database(path).close()
    assert revision_of(path) == HEAD_REVISION
    assert sorted(p.name for p in directory.iterdir()) == [path.name]
    # Nothing was created elsewhere, e.g. « a » for « a?b ».
    assert [p.name for p in root.iterdir()] == [folder]


def test_pragmas_on_every_connection(database: Database) -> None:
    with database.engine.connect() as first, database.engine.connect() as second:
        check_pragmas(pragmas(first))
        check_pragmas(pragmas(second))
    with database.session() as session:
        check_pragmas(pragmas(session.connection()))


def test_pragmas_after_the_pool_is_recycled(database: Database) -> None:
    database.engine.dispose()
    with database.engine.connect() as connection:
        check_pragmas(pragmas(connection))


def test_transaction_rolls_back_on_error(database: Database) -> None:
    with pytest.raises(RuntimeError), database.transaction() as session:
        session.add(Employer(name="CCAS de Metz", city="Metz"))
        session.flush()
        raise RuntimeError("boom")
    with database.session() as session:
        assert session.scalar(text("SELECT count(*) FROM employers")) == 0


def test_transaction_commits_on_success(database: Database) -> None:
    with database.transaction() as session:
        session.add(Employer(name="CCAS de Metz", city="Metz"))
    with database.session() as session:
        assert session.scalar(text("SELECT count(*) FROM employers")) == 1


def test_close_is_idempotent(database: Database) -> None:
    database.close()
    database.close()
