"""Example data aged four years: group 1 attended (sign-in sheets, one attestation), group 2 not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select, update

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Enrollment, Group, IssuedDocument, Participant
from allervers_desktop.privacy.rules import DEFAULTS, years_before
from allervers_desktop.services.attendance import attendance_grid, record_attendance

TODAY = dt.date.today()
GROUP_2_END = years_before(TODAY, 4)
GROUP_1_END = GROUP_2_END - dt.timedelta(days=21)
KEPT_UNTIL = DEFAULTS.documents_until(GROUP_1_END)  # 31/12 of the 6th year after group 1
ATTESTATION_NUMBER = "ATT-TEST-0001"


def short(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def age_example_data(database: Database) -> None:
    """Move the example groups back in time, record group 1's attendance, issue one attestation."""
    with database.transaction() as session:
        for group_id, end in ((1, GROUP_1_END), (2, GROUP_2_END)):
            group = session.get_one(Group, group_id)
            days = sorted(group.days, key=lambda day: day.date)
            days[1].date = end
            days[0].date = end - dt.timedelta(days=1)
        earlier = GROUP_1_END - dt.timedelta(days=60)
        session.execute(
            update(Participant).values(created_at=dt.datetime.combine(earlier, dt.time()))
        )
        session.execute(update(Enrollment).values(enrolled_on=earlier))
        session.flush()
        group = session.get_one(Group, 1)
        enrollments = sorted(group.enrollments, key=lambda e: e.id)
        for index, enrollment in enumerate(enrollments):
            for half in group.half_days:
                status = "excused" if index == 1 and half.period == "pm" else "present"
                reason = "rendez-vous médical" if status == "excused" else ""
                record_attendance(session, enrollment.id, half.id, status, reason)
        session.add(
            IssuedDocument(
                kind="attestation",
                number=ATTESTATION_NUMBER,
                year=GROUP_1_END.year,
                sequence=1,
                issued_on=GROUP_1_END,
                enrollment_id=enrollments[0].id,
                hours_attended=14,
            )
        )


@pytest.fixture
def aged_database(demo_database: Database) -> Database:
    age_example_data(demo_database)
    return demo_database


def group_people(database: Database, group_id: int) -> list[int]:
    with database.session() as session:
        return list(
            session.scalars(
                select(Enrollment.participant_id)
                .where(Enrollment.group_id == group_id)
                .order_by(Enrollment.participant_id)
            )
        )


def hours_per_group(database: Database) -> dict[int, Any]:
    """Hours attended per enrollment and rates, per group (what statistics read)."""
    with database.session() as session:
        result: dict[int, Any] = {}
        for group_id in (1, 2):
            grid = attendance_grid(session, group_id)
            result[group_id] = (
                sorted((row.enrollment_id, grid.hours_attended(row)) for row in grid.rows),
                grid.group_rate(),
                grid.hours_planned,
            )
        return result
