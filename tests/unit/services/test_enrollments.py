"""Enrollments: no duplicates, capacity and the waiting list, status changes, unenrolling."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Attendance, Enrollment, EnrollmentStatus
from allervers_desktop.services.courses import CourseData, create_course
from allervers_desktop.services.enrollments import (
    MANUAL_SOURCE,
    EnrollmentError,
    describe_unenrollment,
    enroll,
    set_status,
    unenroll,
)
from allervers_desktop.services.errors import NotFoundError
from allervers_desktop.services.groups import (
    DayData,
    GroupData,
    create_group,
    enrolled_count,
    get_group,
)
from allervers_desktop.services.participants import ParticipantData, create_participant

REGISTERED = EnrollmentStatus.REGISTERED.value
CONFIRMED = EnrollmentStatus.CONFIRMED.value
WAITLISTED = EnrollmentStatus.WAITLISTED.value
CANCELLED = EnrollmentStatus.CANCELLED.value


def make_group(session: Session, capacity: int | None = 2) -> int:
    course_id = create_course(session, CourseData(title="Aller vers")).id
    return create_group(
        session,
        GroupData(
            course_id=course_id,
            label="Groupe 1",
            capacity=capacity,
            days=[DayData(dt.date(2023, 9, 25))],
        ),
    ).id


def person(session: Session, name: str) -> int:
    return create_participant(session, ParticipantData(last_name=name, first_name="Zoé")).id


def test_enroll_records_status_source_and_date(database: Database) -> None:
    with database.transaction() as session:
        group_id = make_group(session)
        enrollment = enroll(session, group_id, person(session, "BAUER"))
        assert enrollment.status == REGISTERED
        assert enrollment.source == MANUAL_SOURCE
        assert enrollment.enrolled_on == dt.date.today()
        imported = enroll(
            session,
            group_id,
            person(session, "KLEIN"),
            status=CONFIRMED,
            source="inscrits-strasbourg.xlsx",
            on=dt.date(2023, 9, 1),
        )
        assert (imported.status, imported.source, imported.enrolled_on) == (
            CONFIRMED,
            "inscrits-strasbourg.xlsx",
            dt.date(2023, 9, 1),
        )


def test_duplicate_enrollment_is_refused(database: Database) -> None:
    with database.transaction() as session:
        group_id = make_group(session)
        participant_id = person(session, "BAUER")
        enroll(session, group_id, participant_id, status=CONFIRMED)
    with pytest.raises(EnrollmentError) as caught, database.transaction() as session:
        enroll(session, group_id, participant_id)
    assert caught.value.message == "BAUER Zoé est déjà inscrit(e) à ce groupe (confirmé)."
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Enrollment)) == 1


def test_full_group_puts_newcomers_on_the_waiting_list(database: Database) -> None:
    with database.transaction() as session:
        group_id = make_group(session, capacity=2)
        statuses = [
            enroll(session, group_id, person(session, name)).status for name in ("A", "B", "C", "D")
        ]
        assert statuses == [REGISTERED, REGISTERED, WAITLISTED, WAITLISTED]
        assert enrolled_count(session, group_id) == 2


def test_waiting_list_and_cancelled_do_not_take_places(database: Database) -> None:
    with database.transaction() as session:
        group_id = make_group(session, capacity=1)
        enroll(session, group_id, person(session, "A"), status=CANCELLED)
        enroll(session, group_id, person(session, "B"), status=WAITLISTED)
        assert enroll(session, group_id, person(session, "C")).status == REGISTERED


def test_group_without_capacity_is_never_full(database: Database) -> None:
    with database.transaction() as session:
        group_id = make_group(session, capacity=None)
        for n in range(30):
            assert enroll(session, group_id, person(session, f"P{n}")).status == REGISTERED


def test_set_status_into_a_full_group_is_refused(database: Database) -> None:
    with database.transaction() as session:
        group_id = make_group(session, capacity=2)
        enrollments = [enroll(session, group_id, person(session, n)) for n in "ABC"]
        waiting_id = enrollments[2].id
        assert enrollments[2].status == WAITLISTED
    with pytest.raises(EnrollmentError) as caught, database.transaction() as session:
        set_status(session, waiting_id, CONFIRMED)
    assert caught.value.message == (
        "Le groupe est complet (2 / 2) : augmentez sa capacité ou laissez "
        "l'inscription en liste d'attente."
    )
    with database.session() as session:
        assert session.get_one(Enrollment, waiting_id).status == WAITLISTED


def test_a_place_freed_can_be_taken(database: Database) -> None:
    with database.transaction() as session:
        group_id = make_group(session, capacity=2)
        first, _second, waiting = (enroll(session, group_id, person(session, n)) for n in "ABC")
        set_status(session, first.id, CANCELLED)
        assert set_status(session, waiting.id, CONFIRMED).status == CONFIRMED
        assert enrolled_count(session, group_id) == 2


def test_moving_between_active_statuses_in_a_full_group_is_allowed(database: Database) -> None:
    with database.transaction() as session:
        group_id = make_group(session, capacity=1)
        enrollment = enroll(session, group_id, person(session, "A"))
        assert set_status(session, enrollment.id, CONFIRMED).status == CONFIRMED
        assert set_status(session, enrollment.id, REGISTERED).status == REGISTERED
        assert set_status(session, enrollment.id, WAITLISTED).status == WAITLISTED


def test_unknown_status_is_refused(database: Database) -> None:
    with database.transaction() as session:
        enrollment_id = enroll(session, make_group(session), person(session, "A")).id
    with pytest.raises(EnrollmentError) as caught, database.transaction() as session:
        set_status(session, enrollment_id, "présent")
    assert caught.value.message == "Statut d'inscription inconnu : « présent »."


def test_unknown_group_participant_or_enrollment(database: Database) -> None:
    with database.transaction() as session:
        group_id = make_group(session)
        participant_id = person(session, "A")
    cases: list[tuple[Callable[[Session], object], str]] = [
        (lambda s: enroll(s, 999, participant_id), "Aucun groupe ne porte le numéro 999."),
        (lambda s: enroll(s, group_id, 999), "Aucun participant ne porte le numéro 999."),
        (lambda s: set_status(s, 999, CONFIRMED), "Aucune inscription ne porte le numéro 999."),
        (lambda s: unenroll(s, 999), "Aucune inscription ne porte le numéro 999."),
    ]
    for call, message in cases:
        with pytest.raises(NotFoundError) as caught, database.transaction() as session:
            call(session)
        assert caught.value.message == message


def test_unenroll_removes_attendance_and_warns_first(database: Database) -> None:
    with database.transaction() as session:
        group_id = make_group(session)
        enrollment = enroll(session, group_id, person(session, "BAUER"))
        enrollment_id = enrollment.id
        half = get_group(session, group_id).half_days[0]
        session.add(Attendance(enrollment_id=enrollment_id, half_day_id=half.id, status="present"))
    with database.session() as session:
        impact = describe_unenrollment(session, enrollment_id)
    assert impact.subject == "l'inscription de BAUER Zoé au Groupe 1"
    assert impact.consequences == [
        "Cette inscription a 1 présence enregistrée : elles seront supprimées. "
        "Pour garder la trace, préférez le statut « Annulé »."
    ]
    with database.transaction() as session:
        unenroll(session, enrollment_id)
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Enrollment)) == 0
        assert session.scalar(select(func.count()).select_from(Attendance)) == 0


def test_unenroll_without_attendance_needs_no_confirmation(database: Database) -> None:
    with database.transaction() as session:
        enrollment_id = enroll(session, make_group(session), person(session, "A")).id
        assert not describe_unenrollment(session, enrollment_id).needs_confirmation
