"""Constraints enforced by the database itself, whatever code writes to it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Connection, Table, delete, insert, select, text
from sqlalchemy.exc import IntegrityError

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import (
    Attendance,
    Course,
    CourseObjective,
    Employer,
    Enrollment,
    Group,
    GroupDay,
    GroupTrainer,
    HalfDay,
    Participant,
    Trainer,
)


def table(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


@pytest.fixture
def conn(database: Database) -> Iterator[Connection]:
    with database.engine.connect() as connection:
        yield connection


def new_id(conn: Connection, model: Any, **values: Any) -> int:
    result = conn.execute(insert(table(model)).values(**values))
    return int(result.inserted_primary_key[0])  # type: ignore[index]


@pytest.fixture
def base_rows(conn: Connection) -> dict[str, int]:
    """One valid row of each kind, inserted with Core (no ORM validation, no services)."""
    ids: dict[str, int] = {}
    ids["course"] = new_id(conn, Course, title="Aller vers")
    ids["group"] = new_id(conn, Group, course_id=ids["course"], label="Groupe 1", capacity=15)
    ids["day"] = new_id(conn, GroupDay, group_id=ids["group"], date=dt.date(2023, 9, 25))
    ids["am"] = new_id(
        conn, HalfDay, group_day_id=ids["day"], period="am", start_time=dt.time(9),
        end_time=dt.time(12, 30),
    )  # fmt: skip
    ids["employer"] = new_id(
        conn, Employer, name="CCAS de Metz", city="Metz", match_key="ccas de metz|metz"
    )
    ids["participant"] = new_id(conn, Participant, last_name="MULLER", email="h.muller@exemple.fr")
    ids["trainer"] = new_id(conn, Trainer, first_name="Chantal", last_name="CORNIER")
    ids["enrollment"] = new_id(
        conn, Enrollment, participant_id=ids["participant"], group_id=ids["group"]
    )
    ids["attendance"] = new_id(
        conn, Attendance, enrollment_id=ids["enrollment"], half_day_id=ids["am"], status="present"
    )
    conn.execute(
        insert(table(GroupTrainer)).values(group_id=ids["group"], trainer_id=ids["trainer"])
    )
    conn.commit()
    return ids


# PostgreSQL says which constraint failed by the error's class (SQLSTATE), SQLite in words.
SERVER_ERRORS = {
    "FOREIGN KEY": "ForeignKeyViolation",
    "CHECK": "CheckViolation",
    "UNIQUE": "UniqueViolation",
}


def refused(conn: Connection, statement: Any, fragment: str) -> None:
    """The database refuses the statement, for the kind of constraint ``fragment`` names."""
    with pytest.raises(IntegrityError) as caught:
        conn.execute(statement)
    conn.rollback()
    if conn.dialect.name == "postgresql":
        assert type(caught.value.orig).__name__ == SERVER_ERRORS[fragment]
    else:
        assert fragment in str(caught.value.orig)


def test_foreign_keys_are_enforced(conn: Connection, base_rows: dict[str, int]) -> None:
    refused(conn, insert(table(Group)).values(course_id=999, label="G"), "FOREIGN KEY")
    refused(
        conn,
        insert(table(Enrollment)).values(participant_id=999, group_id=base_rows["group"]),
        "FOREIGN KEY",
    )
    refused(
        conn,
        text("INSERT INTO participants (last_name, first_name, civility, phone, job_title,"
             " notes, sort_name, search_text, created_at, updated_at, employer_id)"
             " VALUES ('X', '', '', '', '', '', '', '', '2023-01-01', '2023-01-01', 999)"),
        "FOREIGN KEY",
    )  # fmt: skip


def test_deleting_a_group_with_enrollments_is_restricted(
    conn: Connection, base_rows: dict[str, int]
) -> None:
    refused(conn, text("DELETE FROM groups WHERE id = :id").bindparams(id=base_rows["group"]),
            "FOREIGN KEY")  # fmt: skip
    assert conn.scalar(select(table(Group).c.id)) == base_rows["group"]
    assert conn.scalar(text("SELECT count(*) FROM enrollments")) == 1


@pytest.mark.parametrize(
    ("sql", "what"),
    [
        ("DELETE FROM courses", "course with groups"),
        ("DELETE FROM participants", "participant with enrollments"),
        ("DELETE FROM enrollments", "enrollment with attendance"),
        ("DELETE FROM half_days", "half-day with attendance"),
        ("DELETE FROM trainers", "trainer assigned to a group"),
        ("DELETE FROM employers WHERE id IN (SELECT employer_id FROM participants)", "employer"),
    ],
)
def test_nothing_is_deleted_in_cascade(
    conn: Connection, base_rows: dict[str, int], sql: str, what: str
) -> None:
    if "employers" in sql:
        conn.execute(text("UPDATE participants SET employer_id = :e"), {"e": base_rows["employer"]})
        conn.commit()
    refused(conn, text(sql), "FOREIGN KEY")


def test_course_children_go_with_the_course(conn: Connection) -> None:
    """Objectives and programme belong to the course: they are its parts, not dependants."""
    course_id = new_id(conn, Course, title="Aller vers")
    conn.execute(insert(table(CourseObjective)).values(course_id=course_id, position=0, text="A"))
    conn.execute(delete(table(Course)))
    assert conn.scalar(text("SELECT count(*) FROM course_objectives")) == 0


@pytest.mark.parametrize(
    ("model", "values", "fragment"),
    [
        (Group, {"status": "bientôt"}, "CHECK"),
        (Group, {"capacity": 0}, "CHECK"),
        (Group, {"capacity": -3}, "CHECK"),
        (Group, {"label": "   "}, "CHECK"),
        (Group, {"label": "Groupe 1"}, "UNIQUE"),
    ],
)
def test_group_checks(
    conn: Connection, base_rows: dict[str, int], model: Any, values: dict[str, Any], fragment: str
) -> None:
    row = {"course_id": base_rows["course"], "label": "Groupe 2", **values}
    refused(conn, insert(table(model)).values(**row), fragment)


@pytest.mark.parametrize(
    "values",
    [
        {"last_name": ""},
        {"last_name": "   "},
        {"civility": "Dr"},
    ],
)
def test_participant_checks(conn: Connection, values: dict[str, Any]) -> None:
    row = {"last_name": "MULLER", **values}
    refused(conn, insert(table(Participant)).values(**row), "CHECK")


def test_participant_email_is_unique(conn: Connection, base_rows: dict[str, int]) -> None:
    row = {"last_name": "AUTRE", "email": "h.muller@exemple.fr"}
    refused(conn, insert(table(Participant)).values(**row), "UNIQUE")


def test_trainer_needs_a_last_name(conn: Connection) -> None:
    refused(conn, insert(table(Trainer)).values(first_name="A", last_name=" "), "CHECK")


@pytest.mark.parametrize(
    "values",
    [{"title": ""}, {"duration_days": 0}, {"duration_hours": -1}, {"action_nature": "stage"}],
)
def test_course_checks(conn: Connection, values: dict[str, Any]) -> None:
    refused(conn, insert(table(Course)).values(**{"title": "Aller vers", **values}), "CHECK")


def test_course_reference_is_unique(conn: Connection) -> None:
    conn.execute(insert(table(Course)).values(title="A", reference="GE-1"))
    refused(conn, insert(table(Course)).values(title="B", reference="GE-1"), "UNIQUE")


def test_courses_without_reference_may_be_many(conn: Connection) -> None:
    conn.execute(insert(table(Course)).values(title="A", reference=None))
    conn.execute(insert(table(Course)).values(title="B", reference=None))
    assert conn.scalar(text("SELECT count(*) FROM courses")) == 2


@pytest.mark.parametrize(
    ("start", "end"),
    [((12, 0), (9, 0)), ((9, 0), (9, 0))],
    ids=["end-before-start", "end-equals-start"],
)
def test_half_day_end_must_follow_start(
    conn: Connection, base_rows: dict[str, int], start: tuple[int, int], end: tuple[int, int]
) -> None:
    row = {"group_day_id": base_rows["day"], "period": "pm", "start_time": dt.time(*start),
           "end_time": dt.time(*end)}  # fmt: skip
    refused(conn, insert(table(HalfDay)).values(**row), "CHECK")


def test_half_day_period_and_uniqueness(conn: Connection, base_rows: dict[str, int]) -> None:
    row = {"group_day_id": base_rows["day"], "start_time": dt.time(14), "end_time": dt.time(17)}
    refused(conn, insert(table(HalfDay)).values(period="zz", **row), "CHECK")
    refused(conn, insert(table(HalfDay)).values(period="am", **row), "UNIQUE")


def test_group_day_date_is_unique_in_a_group(conn: Connection, base_rows: dict[str, int]) -> None:
    row = {"group_id": base_rows["group"], "date": dt.date(2023, 9, 25)}
    refused(conn, insert(table(GroupDay)).values(**row), "UNIQUE")


def test_enrollment_checks(conn: Connection, base_rows: dict[str, int]) -> None:
    row = {"participant_id": base_rows["participant"], "group_id": base_rows["group"]}
    refused(conn, insert(table(Enrollment)).values(**row), "UNIQUE")
    other = new_id(conn, Participant, last_name="KLEIN")
    refused(
        conn,
        insert(table(Enrollment)).values(participant_id=other, group_id=base_rows["group"],
                                         status="inscrit"),
        "CHECK",
    )  # fmt: skip


def test_attendance_checks(conn: Connection, base_rows: dict[str, int]) -> None:
    row = {"enrollment_id": base_rows["enrollment"], "half_day_id": base_rows["am"]}
    refused(conn, insert(table(Attendance)).values(status="present", **row), "UNIQUE")
    conn.execute(delete(table(Attendance)))
    refused(conn, insert(table(Attendance)).values(status="malade", **row), "CHECK")


def test_employer_identity_is_unique(conn: Connection, base_rows: dict[str, int]) -> None:
    row = {"name": "C.C.A.S. de Metz", "city": "METZ", "match_key": "ccas de metz|metz"}
    refused(conn, insert(table(Employer)).values(**row), "UNIQUE")
    refused(conn, insert(table(Employer)).values(name=" ", match_key="x"), "CHECK")


def test_trainer_assigned_once_per_group(conn: Connection, base_rows: dict[str, int]) -> None:
    row = {"group_id": base_rows["group"], "trainer_id": base_rows["trainer"]}
    refused(conn, insert(table(GroupTrainer)).values(**row), "UNIQUE")
