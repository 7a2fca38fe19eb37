"""Helpers for database tests: files at an old revision, file snapshots, raw connections."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from allervers_desktop.db.engine import make_engine
from allervers_desktop.db.migrate import upgrade

FIRST_REVISION = "0001"


@contextmanager
def raw(path: Path) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection, independent of the code under test."""
    with closing(sqlite3.connect(path)) as connection:
        yield connection


def revision_of(path: Path) -> str:
    with raw(path) as connection:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(row[0])


def table_names(path: Path) -> set[str]:
    with raw(path) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {row[0] for row in rows}


def quick_check(path: Path) -> list[str]:
    """PRAGMA quick_check on a copy, so that checking never touches the file itself."""
    copy = path.with_name(f"verify-{path.name}")
    copy.write_bytes(path.read_bytes())
    try:
        with raw(copy) as connection:
            return [row[0] for row in connection.execute("PRAGMA quick_check")]
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:  # a damaged name in a message
        return [f"error: {exc}"]
    finally:
        copy.unlink()


@dataclass(frozen=True)
class Snapshot:
    """The bytes and modification time of a file, and the names of its folder."""

    content: bytes
    mtime_ns: int
    neighbours: frozenset[str]

    @classmethod
    def of(cls, path: Path) -> Snapshot:
        return cls(
            content=path.read_bytes(),
            mtime_ns=path.stat().st_mtime_ns,
            neighbours=frozenset(p.name for p in path.parent.iterdir()),
        )


# Rows inserted at revision 0001 with plain SQL, as a user of the first version left them.
FIRST_REVISION_ROWS: dict[str, list[dict[str, object]]] = {
    "training_providers": [{"id": 1, "name": "PRAXIS", "address": "Strasbourg"}],
    "courses": [
        {
            "id": 1,
            "title": "La pratique de l'Aller Vers les publics",
            "module": "Module 1",
            "reference": "GE-M1",
            "sectors": "Social",
            "audience": "Travailleurs sociaux",
            "duration_days": 2.0,
            "duration_hours": 14.0,
            "provider_id": 1,
            "funding_scheme": "Fonds mutualisé de Branche",
            "region": "Grand Est",
            "opco_name": "Opco Santé",
            "opco_contact_name": "Aurore JOANNES",
            "opco_contact_email": "aurore.joannes@opco-sante.fr",
            "partners": "DGCS",
            "context": "Contexte",
            "prerequisites": "Occuper une fonction d'intervenant social",
            "action_nature": "training",
            "search_text": "la pratique de l'aller vers les publics",
            "created_at": "2023-09-01 10:00:00.000000",
            "updated_at": "2023-09-01 10:00:00.000000",
        }
    ],
    "course_objectives": [
        {"id": 1, "course_id": 1, "position": 0, "text": "Resituer les enjeux"},
        {"id": 2, "course_id": 1, "position": 1, "text": "Repenser les organisations"},
    ],
    "programme_days": [{"id": 1, "course_id": 1, "position": 0, "title": "Jour 1"}],
    "programme_items": [{"id": 1, "programme_day_id": 1, "position": 0, "text": "Les enjeux"}],
    "trainers": [
        {
            "id": 1,
            "civility": "Mme",
            "first_name": "Chantal",
            "last_name": "CORNIER",
            "job_title": "Chargée de projets",
            "organisation": "PRAXIS",
            "email": None,
            "phone": "",
            "search_text": "cornier chantal",
        }
    ],
    "employers": [
        {"id": 1, "name": "CCAS de Metz", "city": "Metz", "match_key": "ccas de metz|metz"}
    ],
    "participants": [
        {
            "id": 1,
            "civility": "Mme",
            "last_name": "MÜLLER",
            "first_name": "Hélène",
            "email": "helene.muller@exemple.fr",
            "phone": "",
            "job_title": "Éducatrice",
            "employer_id": 1,
            "notes": "",
            "sort_name": "muller helene",
            "search_text": "muller helene",
            "created_at": "2023-09-01 10:00:00.000000",
            "updated_at": "2023-09-01 10:00:00.000000",
        }
    ],
    "groups": [
        {
            "id": 1,
            "course_id": 1,
            "label": "Groupe 1",
            "city": "Strasbourg",
            "venue_address": "",
            "status": "confirmed",
            "capacity": 15,
            "notes": "",
            "first_date": "2023-09-25",
            "search_text": "groupe 1 strasbourg",
            "created_at": "2023-09-01 10:00:00.000000",
            "updated_at": "2023-09-01 10:00:00.000000",
        }
    ],
    "group_trainers": [{"group_id": 1, "trainer_id": 1, "position": 0}],
    "group_days": [{"id": 1, "group_id": 1, "date": "2023-09-25"}],
    "half_days": [
        {
            "id": 1,
            "group_day_id": 1,
            "period": "am",
            "start_time": "09:00:00.000000",
            "end_time": "12:30:00.000000",
        },
        {
            "id": 2,
            "group_day_id": 1,
            "period": "pm",
            "start_time": "13:30:00.000000",
            "end_time": "17:00:00.000000",
        },
    ],
    "enrollments": [
        {
            "id": 1,
            "participant_id": 1,
            "group_id": 1,
            "status": "confirmed",
            "enrolled_on": "2023-09-01",
            "source": "saisie",
        },
    ],
    "attendances": [
        {
            "id": 1,
            "enrollment_id": 1,
            "half_day_id": 1,
            "status": "present",
            "reason": "",
            "recorded_at": "2023-09-25 12:30:00.000000",
        },
    ],
    "settings": [{"key": "organisation", "value": "Opco Santé Grand Est"}],
}


def insert_rows(connection: sqlite3.Connection, rows: dict[str, list[dict[str, object]]]) -> None:
    for table, records in rows.items():
        for record in records:
            columns = ", ".join(f'"{name}"' for name in record)
            marks = ", ".join("?" for _ in record)
            connection.execute(
                f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', list(record.values())
            )


# The columns the first version's rows fill (later revisions may add columns to these tables).
FIRST_REVISION_COLUMNS = {table: list(rows[0]) for table, rows in FIRST_REVISION_ROWS.items()}


def dump(
    path: Path, tables: list[str], columns: dict[str, list[str]] | None = None
) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the given tables (only ``columns`` where given), ordered, to compare data
    before and after."""

    def listed(table: str) -> str:
        names = (columns or {}).get(table)
        return ", ".join(f'"{name}"' for name in names) if names else "*"

    with raw(path) as connection:
        return {
            table: connection.execute(
                f'SELECT {listed(table)} FROM "{table}" ORDER BY 1, 2'
            ).fetchall()
            for table in tables
        }


def columns_of(path: Path, tables: list[str]) -> dict[str, list[str]]:
    """The columns each table has now (a later revision may add some)."""
    with raw(path) as connection:
        return {
            table: [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]
            for table in tables
        }


@pytest.fixture
def make_first_revision_file(tmp_path: Path) -> Callable[..., Path]:
    """Build a database file at revision 0001 holding FIRST_REVISION_ROWS."""

    def build(name: str = "ancienne.sqlite3", *, extra_sql: str = "") -> Path:
        path = tmp_path / name
        engine = make_engine(path)
        try:
            upgrade(engine, FIRST_REVISION)
        finally:
            engine.dispose()
        with raw(path) as connection:
            connection.execute("PRAGMA foreign_keys = ON")
            insert_rows(connection, FIRST_REVISION_ROWS)
            if extra_sql:
                connection.executescript(extra_sql)
            connection.commit()
        assert revision_of(path) == FIRST_REVISION
        return path

    return build


def old_columns(
    after: dict[str, list[tuple[object, ...]]], before: dict[str, list[tuple[object, ...]]]
) -> dict[str, list[tuple[object, ...]]]:
    """The rows of ``after`` cut to the columns each table had in ``before``: later revisions
    only add columns at the end, so an upgrade that lost nothing gives ``before`` back."""
    return {
        table: [row[: len(old)] for row, old in zip(rows, before.get(table, rows), strict=False)]
        + rows[len(before.get(table, rows)) :]
        for table, rows in after.items()
    }
