"""Tell this application's SQLite files from other programs' ones, reading only.

Since revision 0001 (for new files) and 0005 (for existing ones) the file carries SQLite's
``PRAGMA application_id`` = ``APPLICATION_ID``, the ASCII of « ALVR ». A file without it is:

- a new database only if SQLite holds nothing at all in it (no table, view, index or trigger,
  ``user_version`` 0): an empty file created by hand, for instance;
- a genuine older allervers file only if it holds an ``alembic_version`` at one of the
  revisions released before the marker AND every table those revisions created, each with
  its columns (another program's revision may also be called « 0001 »);
- otherwise another program's file, which is never touched.

A file with another non-zero ``application_id`` belongs to another program, tables or not.
"""

from __future__ import annotations

import enum
import sqlite3

# « ALVR » = 0x41 0x4C 0x56 0x52. Not among the values registered in SQLite's magic.txt.
APPLICATION_ID = 0x414C5652

# The tables each revision released before the marker left, with their columns (as created
# by 0001–0004; those revisions only ever added tables and columns).
_FIRST_REVISION_COLUMNS: dict[str, frozenset[str]] = {
    "alembic_version": frozenset(("version_num",)),
    "attendances": frozenset(
        ("enrollment_id", "half_day_id", "id", "reason", "recorded_at", "status")
    ),
    "course_objectives": frozenset(("course_id", "id", "position", "text")),
    "courses": frozenset(
        (
            "action_nature",
            "audience",
            "context",
            "created_at",
            "duration_days",
            "duration_hours",
            "funding_scheme",
            "id",
            "module",
            "opco_contact_email",
            "opco_contact_name",
            "opco_name",
            "partners",
            "prerequisites",
            "provider_id",
            "reference",
            "region",
            "search_text",
            "sectors",
            "title",
            "updated_at",
        )
    ),
    "employers": frozenset(("city", "id", "match_key", "name")),
    "enrollments": frozenset(
        ("enrolled_on", "group_id", "id", "participant_id", "source", "status")
    ),
    "group_days": frozenset(("date", "group_id", "id")),
    "group_trainers": frozenset(("group_id", "position", "trainer_id")),
    "groups": frozenset(
        (
            "capacity",
            "city",
            "course_id",
            "created_at",
            "first_date",
            "id",
            "label",
            "notes",
            "search_text",
            "status",
            "updated_at",
            "venue_address",
        )
    ),
    "half_days": frozenset(("end_time", "group_day_id", "id", "period", "start_time")),
    "participants": frozenset(
        (
            "civility",
            "created_at",
            "email",
            "employer_id",
            "first_name",
            "id",
            "job_title",
            "last_name",
            "notes",
            "phone",
            "search_text",
            "sort_name",
            "updated_at",
        )
    ),
    "programme_days": frozenset(("course_id", "id", "position", "title")),
    "programme_items": frozenset(("id", "position", "programme_day_id", "text")),
    "settings": frozenset(("key", "value")),
    "trainers": frozenset(
        (
            "civility",
            "email",
            "first_name",
            "id",
            "job_title",
            "last_name",
            "organisation",
            "phone",
            "search_text",
        )
    ),
    "training_providers": frozenset(("address", "id", "name")),
}
_IMPORT_HISTORY = ("import_batches", "import_changes")
_DOCUMENTS = ("issued_documents", "stored_files")
# Revision → tables that must exist beyond those of 0001.
PRE_MARKER_REVISIONS: dict[str, tuple[str, ...]] = {
    "0001": (),
    "0002": _IMPORT_HISTORY,
    "0003": _IMPORT_HISTORY + _DOCUMENTS,
    "0004": _IMPORT_HISTORY + _DOCUMENTS,
}


class Kind(enum.Enum):
    """What a read-only look at an SQLite file found."""

    NEW = "new"  # nothing in it yet: the schema may be created
    OURS = "ours"  # the marker, or a genuine older allervers file
    FOREIGN = "foreign"  # another program's file: refuse, touch nothing


def _pragma(connection: sqlite3.Connection, name: str) -> int:
    row = connection.execute(f"PRAGMA {name}").fetchone()
    return int(row[0]) if row else 0


def _columns(connection: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')}


def is_older_allervers_file(connection: sqlite3.Connection) -> bool:
    """An allervers file written before the marker existed: revision and schema both match."""
    tables = {
        row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    if "alembic_version" not in tables:
        return False
    if _columns(connection, "alembic_version") != {"version_num"}:
        return False
    rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    if len(rows) != 1 or rows[0][0] not in PRE_MARKER_REVISIONS:
        return False
    for table in PRE_MARKER_REVISIONS[rows[0][0]]:
        if table not in tables:
            return False
    for table, columns in _FIRST_REVISION_COLUMNS.items():
        if table not in tables or not columns <= _columns(connection, table):
            return False
    return True


def recognise(connection: sqlite3.Connection) -> Kind:
    """Classify the file behind a read-only connection (raises sqlite3 errors as they come)."""
    application_id = _pragma(connection, "application_id")
    if application_id == APPLICATION_ID:
        return Kind.OURS
    if application_id != 0 or _pragma(connection, "user_version") != 0:
        return Kind.FOREIGN
    objects = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if objects == 0:
        return Kind.NEW
    return Kind.OURS if is_older_allervers_file(connection) else Kind.FOREIGN
