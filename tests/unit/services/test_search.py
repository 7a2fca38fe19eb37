"""Normalised search columns: folded in SQL-searchable text, kept in step with their sources."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Course, Employer, Group, Participant, Trainer
from allervers_desktop.services.courses import CourseData, get_course, update_course
from allervers_desktop.services.participants import (
    ParticipantData,
    create_participant,
    get_participant,
    update_participant,
)
from allervers_desktop.text import search_terms


def search(session: Session, model: Any, query: str) -> list[Any]:
    """What a search field does: every folded term must be in the stored column (in SQL)."""
    statement = select(model).order_by(model.id)
    for term in search_terms(query):
        statement = statement.where(model.search_text.contains(term, autoescape=True))
    return list(session.scalars(statement))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("helene", ["MULLER Hélène"]),
        ("HÉLÈNE", ["MULLER Hélène"]),
        ("müller", ["MULLER Hélène"]),
        ("Muller helene", ["MULLER Hélène"]),
        ("gerard", ["GÉRARD Raphaël"]),
        ("raphael GÉRARD", ["GÉRARD Raphaël"]),
        ("maelle", ["ROUSSEL Maëlle"]),
        ("zzz", []),
    ],
)
def test_participant_search_ignores_case_and_accents(
    demo_database: Database, query: str, expected: list[str]
) -> None:
    with demo_database.session() as session:
        assert [p.full_name for p in search(session, Participant, query)] == expected


def test_upper_case_name_is_found_from_an_accented_query(database: Database) -> None:
    with database.transaction() as session:
        create_participant(session, ParticipantData(last_name="MULLER", first_name="Jean"))
        create_participant(session, ParticipantData(last_name="Mûller", first_name="Anne"))
    with database.session() as session:
        found = search(session, Participant, "müller")
        assert [p.first_name for p in found] == ["Jean", "Anne"]


def test_participants_are_found_by_employer_job_and_email(demo_database: Database) -> None:
    with demo_database.session() as session:
        by_employer = search(session, Participant, "relais ill")
        assert {p.employer.name for p in by_employer if p.employer} == {
            "Association Le Relais de l'Ill"
        }
        assert len(by_employer) == 4
        assert [p.last_name for p in search(session, Participant, "veilleur")] == ["WAGNER"]
        assert [p.last_name for p in search(session, Participant, "noel.wagner@")] == ["WAGNER"]


def test_stored_columns_are_folded(demo_database: Database) -> None:
    with demo_database.session() as session:
        participant = session.scalars(
            select(Participant).where(Participant.last_name == "MULLER")
        ).one()
        assert participant.sort_name == "muller helene"
        assert participant.search_text.startswith("muller helene helene.muller@exemple.fr")
        assert participant.search_text == participant.search_text.lower()
        employer = session.scalars(select(Employer).where(Employer.city == "Colmar")).one()
        assert employer.match_key == "foyer saint-eloi|colmar"


def test_trainers_courses_and_groups_are_searchable(demo_database: Database) -> None:
    with demo_database.session() as session:
        assert [t.last_name for t in search(session, Trainer, "chargee de projets")] == ["CORNIER"]
        assert [t.last_name for t in search(session, Trainer, "praxis")] == [
            "CORNIER",
            "COUROT",
            "GELDREICH",
        ]
        assert len(search(session, Course, "aller vers praxis")) == 1
        assert [g.city for g in search(session, Group, "metz")] == ["Metz"]
        assert len(search(session, Group, "pratique")) == 2  # by the course title


def test_editing_a_participant_refreshes_the_columns(database: Database) -> None:
    with database.transaction() as session:
        participant_id = create_participant(
            session, ParticipantData(last_name="KLEIN", first_name="Amélie")
        ).id
    with database.transaction() as session:
        data = ParticipantData.from_participant(get_participant(session, participant_id))
        update_participant(session, participant_id, dataclasses.replace(data, last_name="Schäfer"))
    with database.session() as session:
        participant = get_participant(session, participant_id)
        assert participant.sort_name == "schafer amelie"
        assert search(session, Participant, "schafer") == [participant]
        assert search(session, Participant, "klein") == []


def test_renaming_an_employer_updates_its_participants(demo_database: Database) -> None:
    with demo_database.transaction() as session:
        employer = session.scalars(select(Employer).where(Employer.city == "Metz")).one()
        employer.name = "Centre Communal d'Action Sociale de Metz"
    with demo_database.session() as session:
        found = search(session, Participant, "centre communal")
        assert len(found) == 5
        assert search(session, Participant, "ccas") == []


def test_renaming_a_course_updates_its_groups(demo_database: Database) -> None:
    with demo_database.transaction() as session:
        course_id = session.scalars(select(Course.id)).one()
        data = CourseData.from_course(get_course(session, course_id))
        update_course(session, course_id, dataclasses.replace(data, title="Aller à la rencontre"))
    with demo_database.session() as session:
        assert len(search(session, Group, "rencontre")) == 2
        assert search(session, Group, "pratique") == []


def test_wildcards_in_a_query_are_taken_literally(demo_database: Database) -> None:
    with demo_database.session() as session:
        assert search(session, Participant, "%") == []
        assert search(session, Participant, "_") == []
