"""Time rules of attendance: times required by the status, half-days that have started, lock."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from allervers_desktop.clock import FixedClock
from allervers_desktop.db.database import Database
from allervers_desktop.db.models import (
    Attendance,
    AttendanceUnlock,
    Group,
    GroupStatus,
    IssuedDocument,
)
from allervers_desktop.services import attendance as service
from allervers_desktop.services.attendance_lock import (
    AttendanceLockedError,
    lock_reason,
    unlock_attendance,
    unlock_history,
)
from allervers_desktop.services.eligibility import certificate_eligibility, group_refusal
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.services.teaching import half_day_trainers, set_half_day_trainers

GROUP_1 = 1  # 25-26/09/2023, 9:00-12:30 and 13:30-17:00


def _cells(database: Database) -> tuple[list[int], list[int]]:
    with database.session() as session:
        grid = service.attendance_grid(session, GROUP_1)
    return [r.enrollment_id for r in grid.rows], [c.half_day_id for c in grid.columns]


def test_times_the_status_requires_are_checked_in_french(demo_database) -> None:
    rows, halves = _cells(demo_database)
    cases = [
        ("late", None, None, "« En retard » demande l'heure d'arrivée."),
        ("present", dt.time(9, 20), None, "L'heure d'arrivée ne s'indique que pour « en retard »."),
        ("absent", None, dt.time(11, 0), "L'heure de départ ne s'indique que pour « présent »"),
        ("late", dt.time(12, 30), None, "L'heure d'arrivée (12 h 30) doit précéder la fin"),
        ("present", None, dt.time(8, 30), "L'heure de départ (8 h 30) doit suivre le début"),
        (
            "late",
            dt.time(10, 0),
            dt.time(9, 30),
            "L'heure de départ (9 h 30) doit suivre l'heure d'arrivée",
        ),
    ]
    with demo_database.session() as session:
        for status, arrived, left, message in cases:
            with pytest.raises(service.AttendanceError) as caught:
                service.set_cell(
                    session, rows[0], halves[0], status, arrived_at=arrived, left_at=left
                )
            assert caught.value.message.startswith(message), caught.value.message
        assert session.scalars(select(Attendance)).all() == []
        with pytest.raises(service.AttendanceError, match="saisissez-la participant"):
            service.mark_all(session, GROUP_1, "late")


def test_the_database_refuses_a_late_record_without_its_time(demo_database) -> None:
    rows, halves = _cells(demo_database)
    with demo_database.session() as session:
        session.add(Attendance(enrollment_id=rows[0], half_day_id=halves[0], status="late"))
        with pytest.raises(IntegrityError, match="late_has_arrival_time"):
            session.flush()
        session.rollback()
        session.add(
            Attendance(
                enrollment_id=rows[0],
                half_day_id=halves[0],
                status="absent",
                left_at=dt.time(10, 0),
            )
        )
        with pytest.raises(IntegrityError, match="departure_when_attended"):
            session.flush()


def test_late_and_early_departure_give_the_hours_attended(demo_database) -> None:
    rows, halves = _cells(demo_database)
    with demo_database.transaction() as session:
        service.mark_all(session, GROUP_1)
        service.set_cell(session, rows[0], halves[0], "late", arrived_at=dt.time(9, 20))
        service.set_cell(session, rows[0], halves[3], "present", left_at=dt.time(16, 0))
    with demo_database.session() as session:
        assert service.minutes_attended(session, rows[0]) == 14 * 60 - 20 - 60
        grid = service.attendance_grid(session, GROUP_1)
    row = grid.row(rows[0])
    assert grid.minutes_attended(row) == 14 * 60 - 80  # 12 h 40
    assert row.cell(halves[0]).is_partial
    # « Tous présents » again puts back full presence, times dropped.
    with demo_database.transaction() as session:
        previous = service.mark_all(session, GROUP_1, half_day_ids=[halves[0]])
        assert previous == {(rows[0], halves[0]): service.CellState("late", "", dt.time(9, 20))}
        assert service.minutes_attended(session, rows[0]) == 14 * 60 - 60
        service.restore_cells(session, previous)
        assert service.minutes_attended(session, rows[0]) == 14 * 60 - 80


def test_attendance_only_for_half_days_that_have_started(demo_database) -> None:
    demo_database.clock = FixedClock(dt.datetime(2023, 9, 25, 13, 29))
    rows, halves = _cells(demo_database)
    with demo_database.session() as session:
        service.set_cell(session, rows[0], halves[0], "present")
        with pytest.raises(service.AttendanceError) as caught:
            service.set_cell(session, rows[0], halves[1], "present")
        assert caught.value.message == (
            "La demi-journée du 25/09/2023 (après-midi) n'a pas encore commencé : la présence "
            "ne peut être saisie qu'à partir de 13 h 30 ce jour-là."
        )
        with pytest.raises(service.AttendanceError, match="n'a pas encore commencé"):
            service.mark_all(session, GROUP_1, half_day_ids=[halves[2]])
        # Without half-days named, « Tous présents » fills those that have started.
        changed = service.mark_all(session, GROUP_1)
        assert {half for _, half in changed} == {halves[0]}
        grid = service.attendance_grid(session, GROUP_1)
        assert [grid.is_open(h) for h in halves] == [True, False, False, False]
    demo_database.clock = FixedClock(dt.datetime(2023, 9, 20, 8, 0))
    with (
        demo_database.session() as session,
        pytest.raises(service.AttendanceError, match="25/09/2023 \\(matin\\)"),
    ):
        service.mark_all(session, GROUP_1)


def test_certificates_only_after_the_last_day_for_who_attended(demo_database) -> None:
    rows, halves = _cells(demo_database)
    demo_database.clock = FixedClock(dt.datetime(2023, 9, 26, 16, 0))
    with demo_database.transaction() as session:
        service.set_cell(session, rows[0], halves[0], "late", arrived_at=dt.time(9, 20))
        service.set_cell(session, rows[1], halves[0], "absent")
        assert group_refusal(session, "attestation", GROUP_1) == (
            "Le groupe se termine le 26/09/2023 : l'attestation ne peut être établie qu'après "
            "la dernière journée."
        )
        assert group_refusal(session, "realisation", GROUP_1) == (
            "Le groupe se termine le 26/09/2023 : le certificat de réalisation ne peut être "
            "établi qu'après la dernière journée."
        )
    demo_database.clock = FixedClock(dt.datetime(2023, 9, 26, 17, 0))
    with demo_database.session() as session:
        group = session.get_one(Group, GROUP_1)
        enrollments = sorted(group.enrollments, key=lambda e: rows.index(e.id))
        result = certificate_eligibility(session, "attestation", GROUP_1, enrollments)
    assert result.group_refusal is None
    assert result.eligible(rows[0]) and result.minutes[rows[0]] == 190
    assert result.refusals[rows[1]].endswith("aucune demi-journée suivie, pas d'attestation.")
    assert result.refusals[rows[2]].endswith("aucune présence saisie, pas d'attestation.")


def _finish_and_issue(database: Database) -> None:
    rows, _ = _cells(database)
    with database.transaction() as session:
        service.mark_all(session, GROUP_1)
        session.get_one(Group, GROUP_1).status = GroupStatus.COMPLETED.value
        session.add(
            IssuedDocument(
                kind="attestation",
                number="ATT-2023-0001",
                year=2023,
                sequence=1,
                issued_on=dt.date(2023, 9, 27),
                enrollment_id=rows[0],
                first_issued_at=dt.datetime(2023, 9, 27, 9, 0),
            )
        )


def test_lock_once_completed_and_issued_then_unlock_with_a_reason(demo_database) -> None:
    rows, halves = _cells(demo_database)
    with demo_database.transaction() as session:
        service.mark_all(session, GROUP_1)
        session.get_one(Group, GROUP_1).status = GroupStatus.COMPLETED.value
        assert lock_reason(session, GROUP_1) is None  # nothing issued yet
    _finish_and_issue(demo_database)
    with demo_database.session() as session:
        with pytest.raises(AttendanceLockedError) as caught:
            service.set_cell(session, rows[0], halves[0], "absent")
        assert "sont verrouillées" in caught.value.message
        with pytest.raises(AttendanceLockedError):
            service.clear_cell(session, rows[0], halves[0])
        with pytest.raises(AttendanceLockedError):
            service.mark_all(session, GROUP_1, "absent")
        with pytest.raises(ServiceError, match="Indiquez le motif"):
            unlock_attendance(session, GROUP_1, "  ")
    demo_database.clock = FixedClock(dt.datetime(2023, 10, 2, 11, 15))
    with demo_database.transaction() as session:
        unlock_attendance(session, GROUP_1, "Erreur  de saisie", user="aurore")
    with demo_database.transaction() as session:
        service.set_cell(session, rows[0], halves[0], "absent")
        with pytest.raises(ServiceError, match="ne sont pas verrouillées"):
            unlock_attendance(session, GROUP_1, "encore")
        entries = unlock_history(session, GROUP_1)
    assert [(e.unlocked_at, e.unlocked_by, e.reason) for e in entries] == [
        (dt.datetime(2023, 10, 2, 11, 15), "aurore", "Erreur de saisie")
    ]
    # A certificate issued after the unlock locks the attendance again.
    with demo_database.transaction() as session:
        session.add(
            IssuedDocument(
                kind="realisation",
                number="CR-2023-0001",
                year=2023,
                sequence=1,
                issued_on=dt.date(2023, 10, 3),
                enrollment_id=rows[1],
                first_issued_at=dt.datetime(2023, 10, 3, 9, 0),
            )
        )
    with demo_database.session() as session:
        assert lock_reason(session, GROUP_1) is not None
        assert session.scalars(select(AttendanceUnlock)).one().reason == "Erreur de saisie"


def test_trainers_per_half_day_default_to_the_group(demo_database) -> None:
    _, halves = _cells(demo_database)
    with demo_database.transaction() as session:
        group = session.get_one(Group, GROUP_1)
        first, second = group.trainers[:2]
        assert [t.id for t in half_day_trainers(session, GROUP_1)[halves[0]]] == [
            first.id,
            second.id,
        ]
        set_half_day_trainers(session, halves[1], [second.id])
        taught = half_day_trainers(session, GROUP_1)
        assert [t.id for t in taught[halves[1]]] == [second.id]
        assert [t.id for t in taught[halves[0]]] == [first.id, second.id]
        other = next(t for t in session.get_one(Group, 2).trainers if t not in group.trainers)
        with pytest.raises(ServiceError, match="n'intervient pas dans le groupe « Groupe 1 »"):
            set_half_day_trainers(session, halves[1], [other.id])
        set_half_day_trainers(session, halves[1], [])  # back to the group's trainers
        assert len(half_day_trainers(session, GROUP_1)[halves[1]]) == 2
