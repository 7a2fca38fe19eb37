"""Alembic migrations: revisions known at start-up, schema matching the models, upgrades."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from allervers_desktop.db.database import (
    Database,
    DatabaseOpenError,
    backup_file,
    open_database,
)
from allervers_desktop.db.engine import make_engine
from allervers_desktop.db.migrate import alembic_config, script_revisions, upgrade
from allervers_desktop.db.models import Base, Course, Group, Participant
from allervers_desktop.db.schema_version import HEAD_REVISION, KNOWN_REVISIONS
from allervers_desktop.services.groups import enrolled_count, get_group
from tests.unit.db.conftest import (
    FIRST_REVISION,
    FIRST_REVISION_COLUMNS,
    FIRST_REVISION_ROWS,
    dump,
    quick_check,
    raw,
    revision_of,
    table_names,
)

FirstRevisionFactory = Callable[..., Path]
BACKUP_NAME = re.compile(r"^ancienne-sauvegarde-\d{8}-\d{6}(-\d+)?\.sqlite3$")


def test_known_revisions_match_the_migration_scripts() -> None:
    assert tuple(script_revisions()) == KNOWN_REVISIONS
    assert KNOWN_REVISIONS[-1] == HEAD_REVISION
    assert KNOWN_REVISIONS[0] == FIRST_REVISION


def for_this_dialect(name: str) -> Any:
    """Alembic's filter: leave out what the models create on another database only
    (``Index(...).ddl_if(dialect="postgresql")``)."""

    def include(obj: Any, _name: Any, _type: Any, _reflected: Any, _other: Any) -> bool:
        ddl_if = getattr(obj, "_ddl_if", None)
        return ddl_if is None or ddl_if.dialect in (None, name)

    return include


def test_migrated_schema_matches_the_models(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "render_as_batch": True,
                "include_object": for_this_dialect(connection.dialect.name),
            },
        )
        assert compare_metadata(context, Base.metadata) == []


def test_the_trigram_index_is_the_servers_only(database: Database) -> None:
    from sqlalchemy import inspect

    with database.engine.connect() as connection:
        names = {index["name"] for index in inspect(connection).get_indexes("participants")}
    assert ("ix_participants_search_trgm" in names) == database.on_server


def test_every_migration_goes_down_and_up_again(db_path: Path) -> None:
    engine = make_engine(db_path)
    try:
        upgrade(engine)
        config = alembic_config(engine)
        command.downgrade(config, "base")
        assert table_names(db_path) == {"alembic_version"}
        for revision in KNOWN_REVISIONS:
            upgrade(engine, revision)
            assert revision_of(db_path) == revision
    finally:
        engine.dispose()
    assert table_names(db_path) == set(Base.metadata.tables) | {"alembic_version"}


def test_first_revision_file_with_data_upgrades_to_head(
    make_first_revision_file: FirstRevisionFactory,
) -> None:
    path = make_first_revision_file()
    tables = list(FIRST_REVISION_ROWS)
    before = dump(path, tables, FIRST_REVISION_COLUMNS)

    database = open_database(path)
    try:
        assert not database.created
        assert database.backup_path is not None
        assert revision_of(path) == HEAD_REVISION
        assert dump(path, tables, FIRST_REVISION_COLUMNS) == before
        # The ORM reads the old rows: relations, times and computed hours included.
        with database.session() as session:
            group = get_group(session, 1)
            assert group.course.title == "La pratique de l'Aller Vers les publics"
            assert group.hours_planned == 7
            assert [t.last_name for t in group.trainers] == ["CORNIER"]
            assert enrolled_count(session, 1) == 1
            course = session.get_one(Course, 1)
            assert [o.text for o in course.objectives] == [
                "Resituer les enjeux",
                "Repenser les organisations",
            ]
            participant = session.get_one(Participant, 1)
            assert participant.employer is not None
            assert participant.employer.name == "CCAS de Metz"
            assert session.query(Group).count() == 1
    finally:
        database.close()
    assert quick_check(path) == ["ok"]


def test_upgrade_backs_up_the_file_first(make_first_revision_file: FirstRevisionFactory) -> None:
    path = make_first_revision_file()
    tables = list(FIRST_REVISION_ROWS)
    before = dump(path, tables)

    database = open_database(path)
    database.close()
    backup = database.backup_path
    assert backup is not None
    assert backup.parent == path.parent
    assert BACKUP_NAME.match(backup.name), backup.name
    # The copy is a valid database at the first revision, with the same data.
    assert quick_check(backup) == ["ok"]
    assert revision_of(backup) == FIRST_REVISION
    assert "import_batches" not in table_names(backup)
    assert dump(backup, tables) == before
    # Opening again does not back up again.
    again = open_database(path)
    again.close()
    assert again.backup_path is None
    assert sorted(p.name for p in path.parent.iterdir()) == sorted([path.name, backup.name])


def test_changes_left_in_the_wal_by_a_crash_are_kept(
    make_first_revision_file: FirstRevisionFactory, tmp_path: Path
) -> None:
    """A file copied while its -wal still held committed rows (as after a crash)."""
    source = make_first_revision_file("source.sqlite3")
    with raw(source) as connection:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA wal_autocheckpoint = 0")
        connection.execute(
            "INSERT INTO employers (name, city, match_key) VALUES ('Foyer Saint-Éloi', 'Colmar',"
            " 'foyer saint-eloi|colmar')"
        )
        connection.commit()
        crashed = tmp_path / "crash"
        crashed.mkdir()
        for suffix in ("", "-wal"):
            (crashed / f"ancienne.sqlite3{suffix}").write_bytes(
                Path(f"{source}{suffix}").read_bytes()
            )
    path = crashed / "ancienne.sqlite3"
    assert Path(f"{path}-wal").stat().st_size > 0

    database = open_database(path)
    database.close()
    assert database.backup_path is not None
    for copy in (path, database.backup_path):
        with raw(copy) as connection:
            names = [r[0] for r in connection.execute("SELECT name FROM employers ORDER BY id")]
        assert names == ["CCAS de Metz", "Foyer Saint-Éloi"]


def test_failed_migration_step_is_rolled_back_and_names_the_backup(
    make_first_revision_file: FirstRevisionFactory,
) -> None:
    # Revision 0003 creates stored_files, then issued_documents: the second one clashes.
    path = make_first_revision_file(extra_sql="CREATE TABLE issued_documents (x INTEGER);")
    with pytest.raises(DatabaseOpenError) as caught:
        open_database(path)
    message = caught.value.message
    assert "\n" not in message
    assert "La mise à jour de la base" in message
    assert "[SQL" not in message
    backups = [p for p in path.parent.iterdir() if BACKUP_NAME.match(p.name)]
    assert len(backups) == 1
    assert str(backups[0]) in message
    assert revision_of(backups[0]) == FIRST_REVISION
    # Each revision runs in its own transaction: 0002 is applied, 0003 not even partly.
    assert revision_of(path) == "0002"
    tables = table_names(path)
    assert "import_batches" in tables
    assert "stored_files" not in tables
    assert quick_check(path) == ["ok"]


def test_backup_names_never_clash(db_path: Path) -> None:
    open_database(db_path).close()
    now = dt.datetime(2023, 9, 25, 9, 0, 0)
    first = backup_file(db_path, now=now)
    second = backup_file(db_path, now=now)
    assert first != second
    assert first.name == "allervers-test-sauvegarde-20230925-090000.sqlite3"
    assert second.name == "allervers-test-sauvegarde-20230925-090000-2.sqlite3"
    for copy in (first, second):
        assert revision_of(copy) == HEAD_REVISION


@pytest.mark.sqlite_only(reason="the backup copy of the database file")
def test_backup_is_a_consistent_copy(demo_database: Database) -> None:
    demo_database.close()
    copy = backup_file(demo_database.path)
    assert dump(copy, ["participants", "enrollments"]) == dump(
        demo_database.path, ["participants", "enrollments"]
    )
    with pytest.raises(sqlite3.IntegrityError), raw(copy) as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("DELETE FROM groups")
