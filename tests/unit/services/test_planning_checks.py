"""Employers (edit, merge), probable duplicates, conflicts, « same course twice »."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Employer, Participant
from allervers_desktop.services.conflicts import TRAINER, VENUE, conflicts, group_conflict_warnings
from allervers_desktop.services.duplicates import (
    EMAIL,
    NAME_AND_EMPLOYER,
    PHONE,
    probable_duplicates,
)
from allervers_desktop.services.employer_directory import (
    EmployerData,
    EmployerMergeError,
    find_by_identifier,
    finess_valid,
    list_employers,
    merge_employers,
    save_employer,
)
from allervers_desktop.services.enrollments import enroll
from allervers_desktop.services.errors import ValidationError
from allervers_desktop.services.groups import DayData, GroupData, create_group, get_group
from allervers_desktop.services.participants import ParticipantData, create_participant
from allervers_desktop.services.same_course import same_course_warnings

SIRET = "73282932000074"  # passes Luhn
FINESS = "670780055"  # CHU de Strasbourg


def test_finess_key() -> None:
    assert finess_valid(FINESS) and finess_valid("750712184")
    assert not finess_valid("670780056") and not finess_valid("67078005")
    assert finess_valid("2A0000010")


def test_employer_edit_validates_siret_finess_and_email(demo_database: Database) -> None:
    with pytest.raises(ValidationError) as caught, demo_database.transaction() as session:
        save_employer(
            session,
            1,
            EmployerData(name="Le Relais", siret="123", finess="670780056", contact_email="x@"),
        )
    assert caught.value.for_field("siret") == ["Le SIRET « 123 » n'est pas valide (14 chiffres)."]
    assert caught.value.for_field("finess")
    assert caught.value.for_field("contact_email")
    with demo_database.transaction() as session:
        data = EmployerData(
            name="Association Le Relais de l'Ill",
            city="Strasbourg",
            siret="732 829 320 00074",
            finess=FINESS,
            contact_name="Mme KLEIN",
        )
        save_employer(session, 1, data)
    with demo_database.session() as session:
        found = find_by_identifier(session, finess=FINESS)
        assert found is not None and found.id == 1 and found.siret == SIRET
        rows = list_employers(session, "relais")
        assert [(r["id"], r["participants"], r["siret"]) for r in rows] == [(1, 4, SIRET)]
        assert [r["id"] for r in list_employers(session, "73282")] == [1]
    with pytest.raises(ValidationError) as clash, demo_database.transaction() as session:
        save_employer(session, 2, EmployerData(name="Foyer Saint-Éloi", finess=FINESS))
    assert clash.value.for_field("finess") == [
        f"Le FINESS {FINESS} est déjà celui de « Association Le Relais de l'Ill (Strasbourg) »."
    ]


def test_merge_moves_participants_in_one_step(demo_database: Database) -> None:
    with demo_database.transaction() as session:
        save_employer(session, 2, EmployerData(name="Foyer Saint-Éloi", city="Colmar", siret=SIRET))
        message = merge_employers(session, 1, 2)
    assert message == (
        "« Foyer Saint-Éloi (Colmar) » fusionné dans « Association Le Relais de l'Ill "
        "(Strasbourg) » : 4 participant(s) déplacé(s)."
    )
    with demo_database.session() as session:
        assert session.get(Employer, 2) is None
        assert session.get_one(Employer, 1).siret == SIRET  # an empty field takes the other's
        count = session.scalar(select(func.count()).where(Participant.employer_id == 1))
        assert count == 8


def test_merge_refused_where_it_makes_no_sense(demo_database: Database) -> None:
    with pytest.raises(EmployerMergeError, match="avec lui-même"), demo_database.transaction() as s:
        merge_employers(s, 1, 1)
    with demo_database.transaction() as session:
        save_employer(
            session,
            1,
            EmployerData(name="Association Le Relais de l'Ill", city="Strasbourg", finess=FINESS),
        )
        save_employer(
            session, 2, EmployerData(name="Foyer Saint-Éloi", city="Colmar", finess="750712184")
        )
    with (
        pytest.raises(EmployerMergeError, match="FINESS différents"),
        demo_database.transaction() as s,
    ):
        merge_employers(s, 1, 2)
    with demo_database.session() as session:
        assert session.get(Employer, 2) is not None  # nothing changed


def test_probable_duplicates(demo_database: Database) -> None:
    with demo_database.session() as session:
        assert probable_duplicates(session) == []
        first = session.scalars(select(Participant).order_by(Participant.id)).first()
        assert first is not None
        name, employer_id, phone = first.last_name, first.employer_id, first.phone
    with demo_database.transaction() as session:
        twin = create_participant(
            session,
            ParticipantData(
                last_name=name.lower(), first_name=first.first_name.upper(), employer_id=employer_id
            ),
        )
        same_phone = create_participant(session, ParticipantData(last_name="Autre", phone=phone))
        dotted = create_participant(
            session,
            ParticipantData(
                last_name="Troisième",
                email=first.email.replace("@", "+opco@").replace(".", "", 1) if first.email else "",
            ),
        )
        ids = twin.id, same_phone.id, dotted.id
    with demo_database.session() as session:
        found = {(c.kind, c.participant_ids) for c in probable_duplicates(session)}
    assert (NAME_AND_EMPLOYER, (first.id, ids[0])) in found
    assert (PHONE, (first.id, ids[1])) in found
    assert (EMAIL, (first.id, ids[2])) in found


def _clash_group(session: object, venue: str) -> int:
    group = get_group(session, 1)  # type: ignore[arg-type]
    data = GroupData(
        course_id=group.course_id,
        label="Groupe 3",
        city=group.city,
        venue_address=venue,
        days=[DayData(date=group.days[0].date, pm=None)],
        trainer_ids=[group.trainers[0].id],
    )
    return create_group(session, data).id  # type: ignore[arg-type]


def test_conflicts_trainer_and_venue(demo_database: Database) -> None:
    with demo_database.session() as session:
        assert conflicts(session) == []
        venue = get_group(session, 1).venue_address
        trainer = get_group(session, 1).trainers[0].full_name
    with demo_database.transaction() as session:
        new_id = _clash_group(session, venue.upper())
    with demo_database.session() as session:
        found = conflicts(session)
        assert [(c.kind, c.group_ids) for c in found] == [
            (TRAINER, (1, new_id)),
            (VENUE, (1, new_id)),
        ]
        assert found[0].message == (
            f"{trainer} intervient dans deux groupes à la fois le 25/09/2023 "
            "(09 h 00–12 h 30 et 09 h 00–12 h 30) : « Groupe 1 » et « Groupe 3 »."
        )
        assert group_conflict_warnings(session, 2) == []
        assert len(group_conflict_warnings(session, new_id)) == 2


def test_same_course_twice_warns_with_the_other_groups_dates(demo_database: Database) -> None:
    with demo_database.session() as session:
        enrolled = get_group(session, 1).enrollments[0].participant_id
        assert same_course_warnings(session, 1, [enrolled]) == {}
    with demo_database.transaction() as session:
        enroll(session, 2, enrolled)
        warnings = same_course_warnings(session, 2, [enrolled])
        name = session.get_one(Participant, enrolled).full_name
    assert warnings == {
        enrolled: [
            f"{name} est déjà inscrit(e) à cette formation dans le groupe « Groupe 1 » "
            "(du 25/09/2023 au 26/09/2023)."
        ]
    }
