"""Moving a day of a group: its attendance follows when asked; what cannot move says why."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Attendance, GroupDay
from allervers_desktop.services import attendance
from allervers_desktop.services.errors import ValidationError
from allervers_desktop.services.groups import (
    DayData,
    GroupData,
    describe_day_moves,
    duration_difference,
    get_group,
    update_group,
)
from allervers_desktop.services.signed_sheets import attach_sheet

GROUP_1 = 1
MONDAY, TUESDAY, WEDNESDAY = dt.date(2023, 9, 25), dt.date(2023, 9, 26), dt.date(2023, 9, 27)
PDF_SCAN = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def schedule(database: Database) -> GroupData:
    with database.session() as session:
        return GroupData.from_group(get_group(session, GROUP_1))


def moved(data: GroupData, moves: dict[dt.date, dt.date]) -> GroupData:
    data.days = [
        DayData(moves.get(day.date, day.date), day.am, day.pm, moved_from=day.date)
        for day in data.days
    ]
    return data


def mark_monday(database: Database) -> int:
    with database.transaction() as session:
        grid = attendance.attendance_grid(session, GROUP_1)
        monday_am = next(c for c in grid.columns if c.date == MONDAY and c.period == "am")
        attendance.mark_all(session, GROUP_1, "present", half_day_ids=[monday_am.half_day_id])
        return monday_am.half_day_id


def test_a_moved_day_takes_its_attendance_along(demo_database: Database) -> None:
    half_day = mark_monday(demo_database)
    data = moved(schedule(demo_database), {MONDAY: WEDNESDAY})
    with demo_database.session() as session:
        assert describe_day_moves(session, GROUP_1, data.days) == [
            "Le 25/09/2023 a 10 présences enregistrées : elles suivront la journée au 27/09/2023."
        ]
    with demo_database.transaction() as session:
        update_group(session, GROUP_1, data)
    with demo_database.session() as session:
        group = get_group(session, GROUP_1)
        assert group.dates == [TUESDAY, WEDNESDAY]
        day = session.scalars(select(GroupDay).where(GroupDay.date == WEDNESDAY)).one()
        assert half_day in [half.id for half in day.half_days]  # the same half-day, moved
        kept = session.scalars(select(Attendance).where(Attendance.half_day_id == half_day))
        assert len(kept.all()) == 10


def test_two_days_can_swap_dates(demo_database: Database) -> None:
    half_day = mark_monday(demo_database)
    data = moved(schedule(demo_database), {MONDAY: TUESDAY, TUESDAY: MONDAY})
    with demo_database.transaction() as session:
        update_group(session, GROUP_1, data)
    with demo_database.session() as session:
        tuesday = session.scalars(
            select(GroupDay).where(GroupDay.group_id == GROUP_1, GroupDay.date == TUESDAY)
        ).one()
        assert half_day in [half.id for half in tuesday.half_days]


def test_a_day_cannot_move_onto_one_that_stays(demo_database: Database) -> None:
    data = schedule(demo_database)
    data.days = [DayData(TUESDAY, moved_from=MONDAY), DayData(TUESDAY, moved_from=TUESDAY)]
    with pytest.raises(ValidationError, match="figure deux fois"), demo_database.transaction() as s:
        update_group(s, GROUP_1, data)
    data.days = [DayData(TUESDAY, moved_from=MONDAY)]  # Tuesday removed in the same save
    with pytest.raises(ValidationError) as refused, demo_database.transaction() as session:
        update_group(session, GROUP_1, data)
    assert refused.value.message == (
        "Le 26/09/2023 est encore au planning : enregistrez d'abord son retrait, puis "
        "déplacez le 25/09/2023 à cette date."
    )
    assert [day.date for day in schedule(demo_database).days] == [MONDAY, TUESDAY]


def test_a_day_with_a_signed_sheet_stays_where_it_is(demo_database: Database) -> None:
    with demo_database.transaction() as session:
        attach_sheet(session, GROUP_1, MONDAY, "lundi.pdf", PDF_SCAN)
    data = moved(schedule(demo_database), {MONDAY: WEDNESDAY})
    with pytest.raises(ValidationError) as refused, demo_database.transaction() as session:
        update_group(session, GROUP_1, data)
    assert "Le 25/09/2023 a une feuille d'émargement signée jointe" in refused.value.message
    assert schedule(demo_database).days[0].date == MONDAY  # nothing changed


def test_a_schedule_that_differs_from_the_course_says_so(demo_database: Database) -> None:
    with demo_database.session() as session:
        assert duration_difference(get_group(session, GROUP_1)) == ""  # 2 × 7 h = 14 h
    data = schedule(demo_database)
    data.days[1].pm = None
    with demo_database.transaction() as session:
        group = update_group(session, GROUP_1, data)
        assert duration_difference(group) == "Le planning prévoit 10 h 30, la formation 14 h."
