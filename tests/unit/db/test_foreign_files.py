"""Other programs' files, recognised by the marker: refused byte-identical by the command line."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from allervers_desktop.cli import main
from allervers_desktop.db.database import open_database
from allervers_desktop.db.recognition import APPLICATION_ID, PRE_MARKER_REVISIONS
from allervers_desktop.db.schema_version import HEAD_REVISION
from tests.unit.db.conftest import (
    FIRST_REVISION_COLUMNS,
    FIRST_REVISION_ROWS,
    Snapshot,
    dump,
    insert_rows,
    raw,
    revision_of,
)
from tests.unit.db.foreign_kinds import FOREIGN_KINDS, at_revision, build_aged

pytestmark = pytest.mark.sqlite_only(reason="another program's SQLite files (application_id)")

EXPECTED_WORDS = {
    "newer-version": "version plus récente",
    "damaged-rollback-journal": "endommagée",
    "damaged-wal": "endommagée",
    "not-sqlite": "n'est pas une base de données SQLite",
}


def application_id(path: Path) -> int:
    with raw(path) as connection:
        return int(connection.execute("PRAGMA application_id").fetchone()[0])


@pytest.mark.parametrize("kind", sorted(FOREIGN_KINDS))
def test_command_line_refuses_and_leaves_the_file_as_it_was(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "dossier"
    folder.mkdir()
    path = build_aged(kind, folder / "autre.sqlite3")
    before = Snapshot.of(path)
    code = main(["--db", str(path), "list", "courses"])
    out, err = capsys.readouterr()
    assert code == 1
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("allervers : erreur : ")
    assert EXPECTED_WORDS.get(kind, "pas une base allervers") in lines[0]
    assert "n'a pas été modifié" in lines[0]
    assert Snapshot.of(path) == before


@pytest.mark.parametrize("kind", sorted(FOREIGN_KINDS))
def test_backup_and_restore_commands_refuse_it_too(
    kind: str, tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "dossier"
    folder.mkdir()
    path = build_aged(kind, folder / "autre.sqlite3")
    before = Snapshot.of(path)
    assert main(["--db", str(path), "backup", "--to", str(tmp_path / "copie.sqlite3")]) == 1
    assert not (tmp_path / "copie.sqlite3").exists()
    open_database(db_path).close()
    current = Snapshot.of(db_path)
    assert main(["--db", str(db_path), "restore", str(path)]) == 1
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 2 and all(
        line.startswith("allervers : erreur : ") for line in err.splitlines()
    )
    assert Snapshot.of(path) == before
    assert Snapshot.of(db_path).content == current.content


def test_new_files_carry_the_marker(db_path: Path) -> None:
    open_database(db_path).close()
    assert application_id(db_path) == APPLICATION_ID == int.from_bytes(b"ALVR", "big")


def test_empty_sqlite_file_without_marker_is_a_new_database(db_path: Path) -> None:
    with closing(sqlite3.connect(db_path)) as connection:
        connection.execute("CREATE TABLE t (x)")
        connection.execute("DROP TABLE t")
        connection.commit()
    assert db_path.stat().st_size > 0
    database = open_database(db_path)
    database.close()
    assert database.created
    assert revision_of(db_path) == HEAD_REVISION
    assert application_id(db_path) == APPLICATION_ID


@pytest.mark.parametrize("revision", sorted(PRE_MARKER_REVISIONS))
def test_genuine_older_file_without_marker_is_migrated_with_its_data(
    revision: str, tmp_path: Path
) -> None:
    path = at_revision(tmp_path / "ancienne.sqlite3", revision, marker=False)
    with raw(path) as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        insert_rows(connection, FIRST_REVISION_ROWS)
        connection.commit()
    assert application_id(path) == 0
    before = dump(path, list(FIRST_REVISION_ROWS), FIRST_REVISION_COLUMNS)
    database = open_database(path)
    database.close()
    assert database.backup_path is not None
    assert application_id(database.backup_path) == 0  # the copy is the file as it was
    assert revision_of(path) == HEAD_REVISION
    assert application_id(path) == APPLICATION_ID
    assert dump(path, list(FIRST_REVISION_ROWS), FIRST_REVISION_COLUMNS) == before


def test_marker_survives_going_down_to_0004_and_is_still_recognised(tmp_path: Path) -> None:
    from alembic import command

    from allervers_desktop.db.engine import make_engine
    from allervers_desktop.db.migrate import alembic_config

    path = tmp_path / "base.sqlite3"
    open_database(path).close()
    engine = make_engine(path)
    try:
        command.downgrade(alembic_config(engine), "0004")
    finally:
        engine.dispose()
    assert application_id(path) == APPLICATION_ID
    open_database(path).close()
    assert revision_of(path) == HEAD_REVISION
