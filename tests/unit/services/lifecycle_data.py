"""Shared data for the lifecycle tests: a course with two small groups and colleagues."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Enrollment, IssuedDocument
from allervers_desktop.services.attendance import find_half_day, record_attendance
from allervers_desktop.services.courses import CourseData, create_course
from allervers_desktop.services.enrollments import enroll
from allervers_desktop.services.groups import DayData, GroupData, create_group
from allervers_desktop.services.participants import ParticipantData, create_participant

DAY_1 = dt.date(2024, 5, 13)
DAY_2 = dt.date(2024, 5, 14)


@dataclass
class Lifecycle:
    """Group 1 (2 seats, 13-14/05/2024) and group 2 (2 seats, other course unless same)."""

    group_1: int
    group_2: int
    group_3: int  # same course as group 1
    people: dict[str, int]


def build(database: Database) -> Lifecycle:
    with database.transaction() as session:
        course = create_course(session, CourseData(title="Aller vers"))
        other = create_course(session, CourseData(title="Bientraitance"))
        days = [DayData(DAY_1), DayData(DAY_2)]
        groups = [
            create_group(
                session,
                GroupData(course_id=course_id, label=label, capacity=2, days=list(days)),
            ).id
            for course_id, label in (
                (course.id, "Groupe 1 – Strasbourg"),
                (other.id, "Groupe 2 – Colmar"),
                (course.id, "Groupe 3 – Mulhouse"),
            )
        ]
        people = {}
        for name, employer in (
            ("KOENIG", "EHPAD Les Tilleuls"),
            ("MULLER", "EHPAD Les Tilleuls"),
            ("SCHMITT", "EHPAD Les Tilleuls"),
            ("WEBER", "Foyer Saint-Jean"),
            ("MEYER", "Foyer Saint-Jean"),
        ):
            people[name] = create_participant(
                session,
                ParticipantData(
                    last_name=name,
                    first_name="Antoine",
                    email=f"{name.lower()}@example.fr",
                    employer_name=employer,
                    employer_city="Strasbourg",
                ),
            ).id
    return Lifecycle(groups[0], groups[1], groups[2], people)


def attend(session: Session, enrollment: Enrollment, day: dt.date, period: str) -> None:
    half_day = find_half_day(session, enrollment.group_id, day, period)
    record_attendance(session, enrollment.id, half_day.id, "present")


def issue(session: Session, enrollment: Enrollment, sequence: int) -> IssuedDocument:
    document = IssuedDocument(
        kind="attestation",
        number=f"ATT-2024-{sequence:04d}",
        year=2024,
        sequence=sequence,
        issued_on=DAY_2,
        enrollment_id=enrollment.id,
    )
    session.add(document)
    session.flush()
    return document


__all__ = ["DAY_1", "DAY_2", "Lifecycle", "attend", "build", "enroll", "issue"]
