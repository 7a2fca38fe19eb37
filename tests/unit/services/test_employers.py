"""Employers: found or created by name and city without case or accents, renamed, deleted."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Employer, Participant
from allervers_desktop.services.employers import (
    delete_employer,
    describe_employer_deletion,
    employer_choices,
    find_or_create_employer,
    get_employer,
    update_employer,
)
from allervers_desktop.services.errors import DeletionBlockedError, ValidationError
from allervers_desktop.services.participants import ParticipantData, create_participant


def test_find_or_create_is_idempotent_across_spellings(database: Database) -> None:
    with database.transaction() as session:
        first = find_or_create_employer(session, "  Foyer   Saint-Éloi ", "Colmar")
        assert (first.name, first.city) == ("Foyer Saint-Éloi", "Colmar")
        for name, city in [
            ("FOYER SAINT-ELOI", "COLMAR"),
            ("foyer saint-éloi", "colmar"),
            ("Foyer Saint-Eloi", " Colmar "),
        ]:
            assert find_or_create_employer(session, name, city).id == first.id
        assert session.scalar(select(func.count()).select_from(Employer)) == 1


def test_blank_name_is_refused(database: Database) -> None:
    with pytest.raises(ValidationError) as caught, database.transaction() as session:
        find_or_create_employer(session, "   ", "Metz")
    assert caught.value.for_field("employer") == ["« Établissement » est obligatoire."]


def test_choices_show_the_city(database: Database) -> None:
    with database.transaction() as session:
        metz = find_or_create_employer(session, "CCAS de Metz", "Metz").id
        nocity = find_or_create_employer(session, "Association Horizon").id
        assert employer_choices(session) == [
            (nocity, "Association Horizon"),
            (metz, "CCAS de Metz (Metz)"),
        ]


def test_rename_updates_participants_search_text(database: Database) -> None:
    with database.transaction() as session:
        participant = create_participant(
            session,
            ParticipantData(last_name="KLEIN", employer_name="CCAS de Metz", employer_city="Metz"),
        )
        participant_id, employer_id = participant.id, participant.employer_id
        assert employer_id is not None
    with database.transaction() as session:
        update_employer(session, employer_id, "Centre Communal d'Action Sociale", "Metz")
    with database.session() as session:
        text = session.scalar(
            select(Participant.search_text).where(Participant.id == participant_id)
        )
        assert text is not None
        assert "centre communal d'action sociale" in text
        assert "ccas" not in text
        employer = get_employer(session, employer_id)
        assert employer.match_key == "centre communal d'action sociale|metz"


def test_rename_through_the_model_also_updates_participants(database: Database) -> None:
    with database.transaction() as session:
        participant_id = create_participant(
            session, ParticipantData(last_name="KLEIN", employer_name="Foyer Saint-Éloi")
        ).id
    with database.transaction() as session:
        employer = session.scalars(select(Employer)).one()
        employer.name = "Maison Müller"
    with database.session() as session:
        participant = session.get_one(Participant, participant_id)
        assert "maison muller" in participant.search_text


def test_rename_onto_another_employer_is_refused(database: Database) -> None:
    with database.transaction() as session:
        metz = find_or_create_employer(session, "CCAS de Metz", "Metz").id
        other = find_or_create_employer(session, "CCAS de Nancy", "Nancy").id
    with pytest.raises(ValidationError) as caught, database.transaction() as session:
        update_employer(session, other, "ccas de metz", "METZ")
    assert caught.value.for_field("name") == [
        "L'établissement « CCAS de Metz (Metz) » existe déjà."
    ]
    with database.transaction() as session:
        update_employer(session, metz, "CCAS DE METZ", "Metz")  # itself: fine
        assert get_employer(session, metz).name == "CCAS DE METZ"


def test_deletion_is_blocked_while_participants_work_there(database: Database) -> None:
    with database.transaction() as session:
        employer_id = create_participant(
            session, ParticipantData(last_name="KLEIN", employer_name="CCAS de Metz")
        ).employer_id
        create_participant(session, ParticipantData(last_name="WEBER", employer_id=employer_id))
    assert employer_id is not None
    with database.session() as session:
        impact = describe_employer_deletion(session, employer_id)
    assert not impact.allowed
    assert impact.message() == (
        "Cet établissement emploie 2 participants : changez d'abord leur établissement."
    )
    with pytest.raises(DeletionBlockedError), database.transaction() as session:
        delete_employer(session, employer_id)
    with database.transaction() as session:
        employer_id = find_or_create_employer(session, "Vide").id
        delete_employer(session, employer_id)
        assert session.get(Employer, employer_id) is None
