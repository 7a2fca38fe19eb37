"""The SQL minutes attended are presence.attended_minutes, row by row, on both databases."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import (
    Attendance,
    Course,
    Enrollment,
    Group,
    GroupDay,
    HalfDay,
    Participant,
)
from allervers_desktop.presence import attended_minutes
from allervers_desktop.stats.sql import attended_minutes_sql, minutes_of

T = dt.time
# (status, arrived_at, left_at) on a 09:00–12:30 half-day.
CASES = [
    ("present", None, None),
    ("late", T(9, 20), None),
    ("late", T(8, 50), None),  # arrived before the start: counts from the start
    ("present", None, T(11, 0)),
    ("present", None, T(13, 0)),  # left after the end: counts to the end
    ("late", T(9, 20), T(11, 0)),
    ("late", T(12, 45), None),  # arrived after the end: nothing
    ("absent", None, None),
    ("excused", None, None),
]


def test_sql_minutes_match_the_python_ones(database: Database) -> None:
    with database.transaction() as session:
        group = Group(course=Course(title="Aller vers"), label="Groupe 1")
        session.add(group)
        for number, (status, arrived, left) in enumerate(CASES):
            day = GroupDay(group=group, date=dt.date(2024, 9, 2) + dt.timedelta(days=number))
            half = HalfDay(day=day, period="am", start_time=T(9, 0), end_time=T(12, 30))
            enrollment = Enrollment(
                group=group, participant=Participant(last_name=f"P{number}"), status="confirmed"
            )
            session.add(
                Attendance(
                    enrollment=enrollment,
                    half_day=half,
                    status=status,
                    arrived_at=arrived,
                    left_at=left,
                )
            )
    with database.session() as session:
        rows = session.execute(
            select(
                GroupDay.date,
                minutes_of(HalfDay.end_time),
                attended_minutes_sql(
                    HalfDay.start_time,
                    HalfDay.end_time,
                    Attendance.status,
                    Attendance.arrived_at,
                    Attendance.left_at,
                ),
            )
            .join(HalfDay, HalfDay.id == Attendance.half_day_id)
            .join(GroupDay, GroupDay.id == HalfDay.group_day_id)
            .order_by(GroupDay.date)
        ).all()
    expected = [attended_minutes(T(9, 0), T(12, 30), *case) for case in CASES]
    assert [minutes for _, _, minutes in rows] == expected
    assert expected == [210, 190, 210, 120, 210, 100, 0, 0, 0]
    assert {end for _, end, _ in rows} == {12 * 60 + 30}
