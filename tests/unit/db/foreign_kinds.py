"""Files the application must refuse untouched, each built by a function: name → builder."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from allervers_desktop.db.database import open_database
from allervers_desktop.db.engine import make_engine
from allervers_desktop.db.migrate import upgrade
from allervers_desktop.services.demo import load_demo

OLD_TIME_NS = 1_000_000_000_000_000_000


def _sql(path: Path, *statements: str, wal: bool = False) -> Path:
    with closing(sqlite3.connect(path)) as connection:
        if wal:
            connection.execute("PRAGMA journal_mode = WAL")
        for statement in statements:
            connection.execute(statement)
        connection.commit()
    return path


def at_revision(path: Path, revision: str, *, marker: bool) -> Path:
    """A genuine allervers file at ``revision``, with or without the application's marker."""
    engine = make_engine(path)
    try:
        upgrade(engine, revision)
    finally:
        engine.dispose()
    if not marker:
        _sql(path, "PRAGMA application_id = 0")
    return path


def demo_at_head(path: Path) -> Path:
    database = open_database(path)
    try:
        with database.transaction() as session:
            load_demo(session)
    finally:
        database.close()
    return path


def damaged_in_rollback_mode(path: Path, *, mode: str = "DELETE") -> Path:
    """A current database in rollback-journal mode whose participants page fails quick_check."""
    demo_at_head(path)
    _sql(path, f"PRAGMA journal_mode = {mode}")
    with closing(sqlite3.connect(path)) as connection:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'participants'"
        ).fetchone()[0]
    data = bytearray(path.read_bytes())
    assert bytes(data[18:20]) == (b"\x02\x02" if mode == "WAL" else b"\x01\x01"), "journal mode"
    offset = (root - 1) * page_size
    data[offset + 1 : offset + 3] = b"\x0f\xff"  # first free block points outside the page
    path.write_bytes(bytes(data))
    return path


def other_alembic_0001(path: Path) -> Path:
    """Another program that also uses Alembic, at its own revision « 0001 »."""
    _sql(
        path,
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)",
        "INSERT INTO alembic_version VALUES ('0001')",
        "CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT)",
        "INSERT INTO contacts (name) VALUES ('Hélène')",
    )
    return path


def our_tables_missing_a_column(path: Path) -> Path:
    """Our revision and table names, but a table without one of our columns."""
    at_revision(path, "0004", marker=False)
    _sql(path, "ALTER TABLE participants DROP COLUMN notes")
    return path


def our_schema_with_user_version(path: Path) -> Path:
    at_revision(path, "0004", marker=False)
    _sql(path, "PRAGMA user_version = 3")
    return path


def _text_file(path: Path) -> Path:
    path.write_bytes("Nom;Prénom\nMULLER;Hélène\n".encode())
    return path


def newer_allervers(path: Path) -> Path:
    demo_at_head(path)
    _sql(path, "UPDATE alembic_version SET version_num = 'ffff'")
    return path


FOREIGN_KINDS: dict[str, Callable[[Path], Path]] = {
    "table": lambda p: _sql(p, "CREATE TABLE contacts (name TEXT)"),
    "table-wal": lambda p: _sql(p, "CREATE TABLE contacts (name TEXT)", wal=True),
    "view-only": lambda p: _sql(p, "CREATE VIEW v AS SELECT 1 AS x"),
    "index-and-trigger": lambda p: _sql(
        p,
        "CREATE TABLE t (x)",
        "CREATE INDEX ix_t ON t (x)",
        "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END",
    ),
    "no-table-user-version": lambda p: _sql(p, "PRAGMA user_version = 7"),
    "no-table-application-id": lambda p: _sql(p, "PRAGMA application_id = 305419896"),
    "no-table-application-id-wal": lambda p: _sql(
        p, "PRAGMA application_id = 305419896", wal=True
    ),
    "other-alembic-0001": other_alembic_0001,
    "our-tables-missing-a-column": our_tables_missing_a_column,
    "our-schema-with-user-version": our_schema_with_user_version,
    "newer-version": newer_allervers,
    "damaged-rollback-journal": damaged_in_rollback_mode,
    "damaged-wal": lambda p: damaged_in_rollback_mode(p, mode="WAL"),
    "not-sqlite": lambda p: _text_file(p),
}


def build_aged(kind: str, path: Path) -> Path:
    """Build the file, check nothing is left beside it, and give it an old mtime."""
    FOREIGN_KINDS[kind](path)
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
    os.utime(path, ns=(OLD_TIME_NS, OLD_TIME_NS))
    return path
