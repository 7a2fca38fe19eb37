"""Attendance service: the grid, setting/clearing cells with undo, hours and rates."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from allervers_desktop.db.models import Attendance, Enrollment, EnrollmentStatus
from allervers_desktop.services import attendance as service
from allervers_desktop.services.attendance import EMPTY_CELL, AttendanceError, CellState
from allervers_desktop.services.enrollments import set_status
from allervers_desktop.services.errors import NotFoundError

GROUP_1 = 1  # Strasbourg, 25-26/09/2023, 10 participants, 9:00-12:30 and 13:30-17:00
GROUP_2 = 2


@pytest.fixture
def grid(demo_database):
    with demo_database.session() as session:
        return service.attendance_grid(session, GROUP_1)


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Attendance)) or 0


def test_grid_has_a_row_per_enrollment_and_a_column_per_half_day(grid):
    assert [column.label for column in grid.columns] == [
        "lun. 25/09 matin",
        "lun. 25/09 après-midi",
        "mar. 26/09 matin",
        "mar. 26/09 après-midi",
    ]
    assert [column.times_label for column in grid.columns[:2]] == [
        "9 h 00 – 12 h 30",
        "13 h 30 – 17 h 00",
    ]
    assert len(grid.rows) == 10
    names = [row.name for row in grid.rows]
    assert names == sorted(names)
    assert grid.rows[0].name == "BAUER Zoé"
    assert grid.rows[0].employer == "Foyer Saint-Éloi (Colmar)"
    assert grid.hours_planned == 14
    assert all(not row.has_attendance for row in grid.rows)
    assert grid.group_rate() is None
    assert grid.half_day_rate(grid.columns[0].half_day_id) is None


def test_the_grid_has_the_enrollments_with_a_seat(demo_database):
    with demo_database.transaction() as session:
        enrollments = session.scalars(
            select(Enrollment).where(Enrollment.group_id == GROUP_1).order_by(Enrollment.id)
        ).all()
        set_status(session, enrollments[0].id, EnrollmentStatus.CANCELLED.value)
        set_status(session, enrollments[1].id, EnrollmentStatus.WAITLISTED.value)
        cancelled, waitlisted = enrollments[0].id, enrollments[1].id
    with demo_database.session() as session:
        grid = service.attendance_grid(session, GROUP_1)
    ids = {row.enrollment_id for row in grid.rows}
    assert cancelled not in ids
    assert waitlisted not in ids  # no seat, no attendance
    refused = pytest.raises(AttendanceError, match="en liste d'attente : donnez-lui d'abord")
    with refused, demo_database.transaction() as session:
        service.set_cell(session, waitlisted, grid.columns[0].half_day_id, "present")


def test_attendance_recorded_before_going_back_to_the_waiting_list_stays_visible(
    demo_database,
):
    with demo_database.transaction() as session:
        enrollment = session.scalars(
            select(Enrollment).where(Enrollment.group_id == GROUP_1).order_by(Enrollment.id)
        ).first()
        half_day = service.attendance_grid(session, GROUP_1).columns[0].half_day_id
        service.set_cell(session, enrollment.id, half_day, "present")
        set_status(session, enrollment.id, EnrollmentStatus.WAITLISTED.value)
        waitlisted = enrollment.id
    with demo_database.session() as session:
        grid = service.attendance_grid(session, GROUP_1)
    assert grid.row(waitlisted).enrollment_status == "waitlisted"
    assert grid.row(waitlisted).cell(half_day).status == "present"


def test_set_cell_returns_the_previous_state_and_undo_restores_it(demo_database, grid):
    row, column = grid.rows[0], grid.columns[0]
    key = (row.enrollment_id, column.half_day_id)
    with demo_database.transaction() as session:
        first = service.set_cell(session, *key, "present")
        second = service.set_cell(session, *key, "excused", "  rendez-vous médical ")
    assert first == EMPTY_CELL
    assert second == CellState("present")
    with demo_database.session() as session:
        now = service.attendance_grid(session, GROUP_1).row(row.enrollment_id).cell(key[1])
    assert now == CellState("excused", "rendez-vous médical")
    # Undo the second change, then the first.
    with demo_database.transaction() as session:
        assert service.restore_cell(session, *key, second) == now
        assert service.restore_cell(session, *key, first) == CellState("present")
        assert _count(session) == 0


def test_reason_is_kept_for_excused_only(demo_database, grid):
    key = (grid.rows[0].enrollment_id, grid.columns[0].half_day_id)
    with demo_database.transaction() as session:
        service.set_cell(session, *key, "absent", "malade")
        assert service.clear_cell(session, *key) == CellState("absent", "")


def test_clear_cell_of_an_empty_cell_changes_nothing(demo_database, grid):
    key = (grid.rows[0].enrollment_id, grid.columns[0].half_day_id)
    with demo_database.transaction() as session:
        assert service.clear_cell(session, *key) == EMPTY_CELL
        assert _count(session) == 0


def test_hours_count_present_and_late_not_absent_or_excused(demo_database, grid):
    row = grid.rows[0]
    statuses = ["present", "late", "absent", "excused"]
    with demo_database.transaction() as session:
        for column, status in zip(grid.columns, statuses, strict=True):
            arrived = dt.time(13, 30) if status == "late" else None  # the whole afternoon
            service.set_cell(
                session, row.enrollment_id, column.half_day_id, status, arrived_at=arrived
            )
    with demo_database.session() as session:
        fresh = service.attendance_grid(session, GROUP_1)
        assert service.hours_attended(session, row.enrollment_id) == 7
        assert service.hours_planned(session, GROUP_1) == 14
    assert fresh.hours_attended(fresh.row(row.enrollment_id)) == 7
    assert fresh.half_days_attended(fresh.row(row.enrollment_id)) == 2


def test_rates_per_half_day_and_for_the_group(demo_database, grid):
    first, second = grid.columns[0], grid.columns[1]
    with demo_database.transaction() as session:
        service.mark_all(session, GROUP_1, half_day_ids=[first.half_day_id])
        for row in grid.rows[:4]:
            service.set_cell(session, row.enrollment_id, first.half_day_id, "absent")
        service.set_cell(
            session,
            grid.rows[0].enrollment_id,
            second.half_day_id,
            "late",
            arrived_at=dt.time(14, 15),
        )
    with demo_database.session() as session:
        fresh = service.attendance_grid(session, GROUP_1)
    assert fresh.half_day_rate(first.half_day_id) == pytest.approx(0.6)
    assert fresh.half_day_rate(second.half_day_id) == 1.0  # one recorded cell, late counts
    assert fresh.half_day_rate(grid.columns[2].half_day_id) is None
    # 6 present (3 h 30 each) + 1 late (2 h 45 of 3 h 30) out of 11 recorded cells.
    assert fresh.group_rate() == pytest.approx((6 * 210 + 165) / (11 * 210))


def test_mark_all_fills_every_active_row_and_undo_removes_it(demo_database, grid):
    with demo_database.transaction() as session:
        previous = service.mark_all(session, GROUP_1, "present")
        assert len(previous) == 40
        assert set(previous.values()) == {EMPTY_CELL}
        assert _count(session) == 40
        again = service.mark_all(session, GROUP_1, "present")
        assert again == {}  # nothing changed the second time
        service.restore_cells(session, previous)
        assert _count(session) == 0


def test_mark_all_only_empty_keeps_what_is_recorded(demo_database, grid):
    column = grid.columns[0]
    absent = grid.rows[3].enrollment_id
    with demo_database.transaction() as session:
        service.set_cell(session, absent, column.half_day_id, "absent")
        changed = service.mark_all(
            session, GROUP_1, half_day_ids=[column.half_day_id], only_empty=True
        )
        assert (absent, column.half_day_id) not in changed
        assert len(changed) == 9
        overwritten = service.mark_all(session, GROUP_1, half_day_ids=[column.half_day_id])
        assert overwritten == {(absent, column.half_day_id): CellState("absent")}


def test_mark_all_leaves_waitlisted_rows_alone(demo_database):
    with demo_database.transaction() as session:
        enrollment_id = session.scalar(
            select(Enrollment.id).where(Enrollment.group_id == GROUP_1).limit(1)
        )
        set_status(session, enrollment_id, EnrollmentStatus.WAITLISTED.value)
        changed = service.mark_all(session, GROUP_1)
    assert len(changed) == 36
    assert all(key[0] != enrollment_id for key in changed)


def test_mark_all_refuses_a_half_day_of_another_group(demo_database):
    with demo_database.session() as session:
        other = service.attendance_grid(session, GROUP_2).columns[0].half_day_id
        with pytest.raises(service.AttendanceError, match="n'appartient pas"):
            service.mark_all(session, GROUP_1, half_day_ids=[other])


def test_set_cell_refuses_bad_input_in_french(demo_database, grid):
    row = grid.rows[0]
    with demo_database.session() as session:
        other_half = service.attendance_grid(session, GROUP_2).columns[0].half_day_id
        with pytest.raises(service.AttendanceError, match="Statut de présence inconnu"):
            service.set_cell(session, row.enrollment_id, grid.columns[0].half_day_id, "here")
        with pytest.raises(service.AttendanceError, match="n'appartient pas au groupe"):
            service.set_cell(session, row.enrollment_id, other_half, "present")
        with pytest.raises(NotFoundError, match="demi-journée"):
            service.set_cell(session, row.enrollment_id, 99999, "present")
        with pytest.raises(NotFoundError, match="inscription"):
            service.set_cell(session, 99999, grid.columns[0].half_day_id, "present")


def test_cancelled_enrollment_cannot_be_marked(demo_database, grid):
    row = grid.rows[0]
    with demo_database.transaction() as session:
        set_status(session, row.enrollment_id, EnrollmentStatus.CANCELLED.value)
    with (
        demo_database.session() as session,
        pytest.raises(service.AttendanceError, match="annulée"),
    ):
        service.set_cell(session, row.enrollment_id, grid.columns[0].half_day_id, "present")


def test_record_attendance_keeps_its_behaviour(demo_database, grid):
    row, column = grid.rows[0], grid.columns[0]
    with demo_database.transaction() as session:
        record = service.record_attendance(
            session, row.enrollment_id, column.half_day_id, "excused", " malade "
        )
        assert (record.status, record.reason) == ("excused", "malade")
        again = service.record_attendance(
            session, row.enrollment_id, column.half_day_id, "late", arrived_at=dt.time(9, 20)
        )
        assert again.id == record.id
        assert again.reason == ""
        assert again.arrived_at == dt.time(9, 20)


def test_grid_apply_updates_the_rows_in_memory(grid):
    row, column = grid.rows[0], grid.columns[0]
    grid.apply(row.enrollment_id, column.half_day_id, CellState("late", "", dt.time(9, 20)))
    assert grid.minutes_attended(row) == 190
    grid.apply(row.enrollment_id, column.half_day_id, EMPTY_CELL)
    assert not row.has_attendance


def test_find_half_day_and_enrollment(demo_database):
    with demo_database.session() as session:
        half = service.find_half_day(session, GROUP_1, dt.date(2023, 9, 26), "pm")
        assert (half.day.date, half.period) == (dt.date(2023, 9, 26), "pm")
        with pytest.raises(service.AttendanceError, match="pas de séance le 27/09/2023"):
            service.find_half_day(session, GROUP_1, dt.date(2023, 9, 27), "am")
        with pytest.raises(service.AttendanceError, match="am ou pm"):
            service.find_half_day(session, GROUP_1, dt.date(2023, 9, 26), "soir")
        enrollment = service.find_enrollment(session, GROUP_1, 1)
        assert enrollment.participant.last_name == "MULLER"
        with pytest.raises(service.AttendanceError, match="n'est pas inscrit"):
            service.find_enrollment(session, GROUP_2, 1)
        with pytest.raises(NotFoundError):
            service.find_enrollment(session, GROUP_1, 9999)
