"""Participants: employer picked or created, e-mail rules, groups, deletion."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, select

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Attendance, Employer, Enrollment, Participant
from allervers_desktop.services.courses import CourseData, create_course
from allervers_desktop.services.enrollments import enroll
from allervers_desktop.services.errors import NotFoundError, ValidationError
from allervers_desktop.services.groups import DayData, GroupData, create_group, get_group
from allervers_desktop.services.participants import (
    ParticipantData,
    create_participant,
    delete_participant,
    describe_participant_deletion,
    get_participant,
    update_participant,
)

HELENE = ParticipantData(
    last_name=" Müller ",
    first_name="Hélène",
    civility="Mme",
    email="Helene.Muller@Exemple.fr",
    phone="+33 3 88 00 00 00",
    job_title="Éducatrice spécialisée",
    employer_name="Association Le Relais de l'Ill",
    employer_city="Strasbourg",
    notes=" Végétarienne ",
)


def count(database: Database, model: type) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_create_with_a_new_employer(database: Database) -> None:
    with database.transaction() as session:
        participant_id = create_participant(session, HELENE).id
    with database.session() as session:
        participant = get_participant(session, participant_id)
        assert participant.last_name == "Müller"
        assert participant.full_name == "MÜLLER Hélène"
        assert participant.email == "helene.muller@exemple.fr"
        assert participant.notes == "Végétarienne"
        assert participant.employer is not None
        assert participant.employer.display_name == "Association Le Relais de l'Ill (Strasbourg)"
        assert ParticipantData.from_participant(participant).employer_id == participant.employer_id


@pytest.mark.parametrize(
    ("name", "city"),
    [
        ("ASSOCIATION LE RELAIS DE L'ILL", "STRASBOURG"),
        ("association le relais de l'ill", " strasbourg "),
        ("Association  Le Relais de l'Îll", "Strasbourg"),
    ],
)
def test_employer_is_matched_without_case_or_accents(
    database: Database, name: str, city: str
) -> None:
    with database.transaction() as session:
        first = create_participant(session, HELENE)
        second = create_participant(
            session,
            ParticipantData(last_name="KLEIN", employer_name=name, employer_city=city),
        )
        assert second.employer_id == first.employer_id
    assert count(database, Employer) == 1


def test_same_name_in_another_city_is_another_employer(database: Database) -> None:
    with database.transaction() as session:
        create_participant(session, HELENE)
        create_participant(
            session,
            ParticipantData(
                last_name="KLEIN", employer_name=HELENE.employer_name, employer_city="Colmar"
            ),
        )
    assert count(database, Employer) == 2


def test_pick_an_existing_employer_by_id(database: Database) -> None:
    with database.transaction() as session:
        employer_id = create_participant(session, HELENE).employer_id
        other = create_participant(
            session,
            # The id wins over a name typed at the same time.
            ParticipantData(last_name="KLEIN", employer_id=employer_id, employer_name="Autre"),
        )
        assert other.employer_id == employer_id
    assert count(database, Employer) == 1


def test_unknown_employer_id_is_refused(database: Database) -> None:
    with pytest.raises(NotFoundError) as caught, database.transaction() as session:
        create_participant(session, ParticipantData(last_name="KLEIN", employer_id=99))
    assert caught.value.message == "Aucun établissement ne porte le numéro 99."
    assert count(database, Participant) == 0


def test_without_employer(database: Database) -> None:
    with database.transaction() as session:
        participant = create_participant(session, ParticipantData(last_name="KLEIN"))
        assert participant.employer is None
        assert participant.email is None


def test_duplicate_email_is_refused_with_the_owner_named(database: Database) -> None:
    with database.transaction() as session:
        first_id = create_participant(session, HELENE).id
    with pytest.raises(ValidationError) as caught, database.transaction() as session:
        create_participant(
            session, ParticipantData(last_name="KLEIN", email=" HELENE.MULLER@exemple.fr ")
        )
    assert caught.value.for_field("email") == [
        f"L'adresse « helene.muller@exemple.fr » est déjà celle de MÜLLER Hélène (n° {first_id})."
    ]
    assert count(database, Participant) == 1


def test_participants_without_email_are_many(database: Database) -> None:
    with database.transaction() as session:
        create_participant(session, ParticipantData(last_name="KLEIN"))
        create_participant(session, ParticipantData(last_name="WEBER", email="  "))
    assert count(database, Participant) == 2


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"last_name": "  "}, "last_name", "« Nom » est obligatoire."),
        ({"email": "helene@"}, "email", "L'adresse e-mail « helene@ » n'est pas valide."),
        ({"phone": "abc"}, "phone", "Le numéro de téléphone « abc » n'est pas valide."),
        ({"civility": "Mlle"}, "civility", "La civilité « Mlle » n'est pas reconnue (M. ou Mme)."),
    ],
)
def test_validation_messages(
    database: Database, changes: dict[str, str], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught, database.transaction() as session:
        create_participant(session, dataclasses.replace(HELENE, **changes))  # type: ignore[arg-type]
    assert caught.value.for_field(field) == [message]
    assert count(database, Participant) == 0
    assert count(database, Employer) == 0


def test_update_keeps_own_email_and_changes_employer(database: Database) -> None:
    with database.transaction() as session:
        participant_id = create_participant(session, HELENE).id
    changed = dataclasses.replace(HELENE, employer_name="CCAS de Metz", employer_city="Metz")
    with database.transaction() as session:
        update_participant(session, participant_id, changed)
    with database.session() as session:
        participant = get_participant(session, participant_id)
        assert participant.employer is not None
        assert participant.employer.name == "CCAS de Metz"
        assert participant.email == "helene.muller@exemple.fr"
    # The former employer stays: it is not deleted behind the user's back.
    assert count(database, Employer) == 2


def test_groups_of_a_participant(database: Database) -> None:
    with database.transaction() as session:
        course_id = create_course(session, CourseData(title="Aller vers")).id
        group_id = create_group(
            session, GroupData(course_id=course_id, label="Groupe 1", city="Strasbourg")
        ).id
        participant_id = create_participant(session, HELENE).id
        enroll(session, group_id, participant_id)
    with database.session() as session:
        participant = get_participant(session, participant_id)
        assert [(e.group.label, e.group.course.title) for e in participant.enrollments] == [
            ("Groupe 1", "Aller vers")
        ]


def test_deletion_impact_then_deletion_of_enrollments_and_attendance(database: Database) -> None:
    import datetime as dt

    with database.transaction() as session:
        course_id = create_course(session, CourseData(title="Aller vers")).id
        group_ids = [
            create_group(
                session,
                GroupData(
                    course_id=course_id,
                    label=label,
                    city=city,
                    days=[DayData(dt.date(2023, 9, 25))],
                ),
            ).id
            for label, city in (("Groupe 1", "Strasbourg"), ("Groupe 2", ""))
        ]
        participant_id = create_participant(session, HELENE).id
        keep_id = create_participant(session, ParticipantData(last_name="KLEIN")).id
        enrollments = [enroll(session, g, participant_id) for g in group_ids]
        enroll(session, group_ids[0], keep_id)
        half = get_group(session, group_ids[0]).half_days[0]
        session.add(
            Attendance(
                enrollment_id=enrollments[0].id,
                half_day_id=half.id,
                status="late",
                arrived_at=half.start_time,
            )
        )
    with database.session() as session:
        impact = describe_participant_deletion(session, participant_id)
    assert impact.allowed
    assert impact.subject == "le participant MÜLLER Hélène"
    assert impact.consequences == [
        "Ce participant est inscrit à 2 groupes (Groupe 1 (Strasbourg), Groupe 2) avec "
        "1 présence enregistrée : ses inscriptions seront supprimées."
    ]
    with database.transaction() as session:
        delete_participant(session, participant_id)
    with database.session() as session:
        assert session.get(Participant, participant_id) is None
        assert session.scalar(select(func.count()).select_from(Attendance)) == 0
        remaining = session.scalars(select(Enrollment.participant_id)).all()
        assert remaining == [keep_id]
        # The employer stays.
        assert session.scalar(select(func.count()).select_from(Employer)) == 1


def test_participant_without_groups_needs_no_confirmation(database: Database) -> None:
    with database.transaction() as session:
        participant_id = create_participant(session, HELENE).id
        assert not describe_participant_deletion(session, participant_id).needs_confirmation
        delete_participant(session, participant_id)
        assert session.get(Participant, participant_id) is None


def test_unknown_participant(database: Database) -> None:
    with pytest.raises(NotFoundError) as caught, database.session() as session:
        get_participant(session, 5)
    assert caught.value.message == "Aucun participant ne porte le numéro 5."
