"""Plain rows behind ``allervers list``: keys, order, counts and filters."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Enrollment, EnrollmentStatus, Group
from allervers_desktop.services import listing
from allervers_desktop.services.enrollments import set_status
from allervers_desktop.services.errors import NotFoundError


def group_ids(database: Database) -> dict[str, int]:
    with database.session() as session:
        return {g.city: g.id for g in session.scalars(select(Group))}


def test_courses(demo_database: Database) -> None:
    with demo_database.session() as session:
        rows = listing.list_courses(session)
    assert len(rows) == 1
    row = rows[0]
    assert set(row) >= {"id", "title", "module", "reference", "provider", "groups"}
    assert (row["provider"], row["groups"], row["duration_hours"]) == ("PRAXIS", 2, 14)


def test_groups_with_dates_and_fill(demo_database: Database) -> None:
    with demo_database.session() as session:
        rows = listing.list_groups(session)
    assert [r["city"] for r in rows] == ["Strasbourg", "Metz"]
    first = rows[0]
    assert set(first) >= {"id", "course_id", "label", "city", "dates", "enrolled", "capacity"}
    assert first["dates"] == ["2023-09-25", "2023-09-26"]
    assert (first["enrolled"], first["capacity"], first["hours_planned"]) == (10, 15, 14)
    assert first["trainers"] == ["Chantal CORNIER", "Jean-Xavier COUROT"]


def test_groups_of_one_course(demo_database: Database) -> None:
    with demo_database.session() as session:
        course_id = listing.list_courses(session)[0]["id"]
        assert len(listing.list_groups(session, course_id)) == 2
        assert listing.list_groups(session, course_id + 1) == []


def test_enrolled_counts_only_places_taken(demo_database: Database) -> None:
    metz = group_ids(demo_database)["Metz"]
    with demo_database.transaction() as session:
        rows = listing.list_participants(session, metz)
        set_status(session, _enrollment_id(session, metz, rows[0]["id"]), "cancelled")
    with demo_database.session() as session:
        by_city = {r["city"]: r["enrolled"] for r in listing.list_groups(session)}
    assert by_city == {"Strasbourg": 10, "Metz": 10}


def _enrollment_id(session: Session, group_id: int, participant_id: int) -> int:
    return session.scalars(
        select(Enrollment.id).where(
            Enrollment.group_id == group_id, Enrollment.participant_id == participant_id
        )
    ).one()


def test_trainers_with_their_groups(demo_database: Database) -> None:
    ids = group_ids(demo_database)
    with demo_database.session() as session:
        rows = listing.list_trainers(session)
    assert [r["last_name"] for r in rows] == ["CORNIER", "COUROT", "GELDREICH"]
    assert rows[0]["groups"] == [ids["Strasbourg"], ids["Metz"]]
    assert rows[0]["job_title"] == "Chargée de projets"


def test_participants_sorted_without_accents(demo_database: Database) -> None:
    with demo_database.session() as session:
        rows = listing.list_participants(session)
    assert len(rows) == 21
    names = [r["last_name"] for r in rows]
    assert names.index("GÉRARD") < names.index("HOFFMANN")  # É sorts as E
    assert set(rows[0]) >= {"id", "last_name", "first_name", "email", "employer"}
    muller = next(r for r in rows if r["last_name"] == "MULLER")
    assert muller["employer"] == "Association Le Relais de l'Ill"
    assert muller["employer_city"] == "Strasbourg"
    assert muller["email"] == "helene.muller@exemple.fr"


def test_participants_of_a_group_with_their_status(demo_database: Database) -> None:
    strasbourg = group_ids(demo_database)["Strasbourg"]
    with demo_database.session() as session:
        rows = listing.list_participants(session, strasbourg)
    assert len(rows) == 10
    assert {r["enrollment_status"] for r in rows} == {
        EnrollmentStatus.REGISTERED.value,
        EnrollmentStatus.CONFIRMED.value,
    }


def test_participants_of_an_unknown_group(demo_database: Database) -> None:
    with pytest.raises(NotFoundError) as caught, demo_database.session() as session:
        listing.list_participants(session, 999)
    assert caught.value.message == "Aucun groupe ne porte le numéro 999."


def test_empty_database(database: Database) -> None:
    with database.session() as session:
        assert listing.list_courses(session) == []
        assert listing.list_groups(session) == []
        assert listing.list_trainers(session) == []
        assert listing.list_participants(session) == []
