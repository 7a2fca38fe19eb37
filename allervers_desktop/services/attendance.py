"""Attendance (présence) per enrollment and half-day, and the hours it adds up to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from allervers_desktop.db.models import (
    Attendance,
    AttendanceStatus,
    Employer,
    Enrollment,
    EnrollmentStatus,
    GroupDay,
    HalfDay,
    Participant,
    hours_between,
)
from allervers_desktop.formatting import PERIOD_LABELS, day_month, spoken_time
from allervers_desktop.services.enrollments import get_enrollment
from allervers_desktop.services.errors import NotFoundError, ServiceError
from allervers_desktop.services.groups import ACTIVE_STATUSES, get_group

COUNTED_STATUSES = (AttendanceStatus.PRESENT.value, AttendanceStatus.LATE.value)
STATUS_VALUES = frozenset(member.value for member in AttendanceStatus)
CellKey = tuple[int, int]  # (enrollment_id, half_day_id)


class AttendanceError(ServiceError):
    """An attendance rule was broken."""


@dataclass(frozen=True)
class CellState:
    """What is recorded in one cell of the grid; ``status`` None means nothing recorded."""

    status: str | None = None
    reason: str = ""

    @property
    def is_recorded(self) -> bool:
        return self.status is not None

    @property
    def counts(self) -> bool:
        """Present or late: the half-day's hours count as attended."""
        return self.status in COUNTED_STATUSES


EMPTY_CELL = CellState()


@dataclass(frozen=True)
class HalfDayColumn:
    """One column of the grid: a half-day with its date and times."""

    half_day_id: int
    date: dt.date
    period: str
    start_time: dt.time
    end_time: dt.time

    @property
    def hours(self) -> float:
        return hours_between(self.start_time, self.end_time)

    @property
    def label(self) -> str:
        """« lun. 25/09 matin »."""
        return f"{day_month(self.date)} {PERIOD_LABELS[self.period]}"

    @property
    def times_label(self) -> str:
        """« 9 h 00 – 12 h 30 »."""
        return f"{spoken_time(self.start_time)} – {spoken_time(self.end_time)}"


@dataclass
class AttendanceRow:
    """One row of the grid: a non-cancelled enrollment and what is recorded for it."""

    enrollment_id: int
    participant_id: int
    name: str  # « MULLER Hélène »
    employer: str
    enrollment_status: str
    cells: dict[int, CellState] = field(default_factory=dict)  # by half_day_id

    def cell(self, half_day_id: int) -> CellState:
        return self.cells.get(half_day_id, EMPTY_CELL)

    @property
    def has_attendance(self) -> bool:
        return any(state.is_recorded for state in self.cells.values())


@dataclass
class AttendanceGrid:
    """Everything the attendance grid of a group shows; plain data, safe to keep in the UI."""

    group_id: int
    group_label: str
    columns: list[HalfDayColumn]
    rows: list[AttendanceRow]

    @property
    def hours_planned(self) -> float:
        return sum(column.hours for column in self.columns)

    def column(self, half_day_id: int) -> HalfDayColumn:
        for column in self.columns:
            if column.half_day_id == half_day_id:
                return column
        raise KeyError(half_day_id)

    def row(self, enrollment_id: int) -> AttendanceRow:
        for row in self.rows:
            if row.enrollment_id == enrollment_id:
                return row
        raise KeyError(enrollment_id)

    def hours_attended(self, row: AttendanceRow) -> float:
        return sum(column.hours for column in self.columns if row.cell(column.half_day_id).counts)

    def half_days_attended(self, row: AttendanceRow) -> int:
        return sum(1 for column in self.columns if row.cell(column.half_day_id).counts)

    def half_day_rate(self, half_day_id: int) -> float | None:
        """Share of the recorded cells of a half-day that are present or late (None: none)."""
        states = [row.cell(half_day_id) for row in self.rows]
        recorded = [state for state in states if state.is_recorded]
        if not recorded:
            return None
        return sum(1 for state in recorded if state.counts) / len(recorded)

    def group_rate(self) -> float | None:
        """Hours attended over the hours of every recorded cell (None: nothing recorded)."""
        attended = recorded = 0.0
        for column in self.columns:
            for row in self.rows:
                state = row.cell(column.half_day_id)
                if state.is_recorded:
                    recorded += column.hours
                    if state.counts:
                        attended += column.hours
        return attended / recorded if recorded else None

    def apply(self, enrollment_id: int, half_day_id: int, state: CellState) -> None:
        """Update the in-memory grid after a change was saved (set, clear or restore)."""
        row = self.row(enrollment_id)
        if state.is_recorded:
            row.cells[half_day_id] = state
        else:
            row.cells.pop(half_day_id, None)


def _check_status(status: str) -> None:
    if status not in STATUS_VALUES:
        raise AttendanceError(f"Statut de présence inconnu : « {status} ».")


def _check_cell(session: Session, enrollment_id: int, half_day_id: int) -> Enrollment:
    """The enrollment, once checked that the half-day is of its group and it is not cancelled."""
    enrollment = get_enrollment(session, enrollment_id)
    group_id = session.scalar(
        select(GroupDay.group_id).join(HalfDay).where(HalfDay.id == half_day_id)
    )
    if group_id is None:
        raise NotFoundError("demi-journée", half_day_id)
    if group_id != enrollment.group_id:
        raise AttendanceError("Cette demi-journée n'appartient pas au groupe de l'inscription.")
    if enrollment.status == EnrollmentStatus.CANCELLED.value:
        raise AttendanceError(
            f"L'inscription de {enrollment.participant.full_name} est annulée : "
            "aucune présence ne peut être saisie."
        )
    return enrollment


def _find(session: Session, enrollment_id: int, half_day_id: int) -> Attendance | None:
    return session.scalar(
        select(Attendance).where(
            Attendance.enrollment_id == enrollment_id, Attendance.half_day_id == half_day_id
        )
    )


def _state(attendance: Attendance | None) -> CellState:
    if attendance is None:
        return EMPTY_CELL
    return CellState(attendance.status, attendance.reason)


def _kept_reason(status: str, reason: str) -> str:
    return reason.strip() if status == AttendanceStatus.EXCUSED.value else ""


def record_attendance(
    session: Session, enrollment_id: int, half_day_id: int, status: str, reason: str = ""
) -> Attendance:
    """Set one participant's status for one half-day of their own group."""
    set_cell(session, enrollment_id, half_day_id, status, reason)
    attendance = _find(session, enrollment_id, half_day_id)
    assert attendance is not None
    return attendance


def set_cell(
    session: Session, enrollment_id: int, half_day_id: int, status: str, reason: str = ""
) -> CellState:
    """Record a status (the reason is kept for « excusé » only); return the previous state."""
    _check_status(status)
    _check_cell(session, enrollment_id, half_day_id)
    attendance = _find(session, enrollment_id, half_day_id)
    previous = _state(attendance)
    if attendance is None:
        attendance = Attendance(enrollment_id=enrollment_id, half_day_id=half_day_id, status=status)
        session.add(attendance)
    attendance.status = status
    attendance.reason = _kept_reason(status, reason)
    session.flush()
    return previous


def clear_cell(session: Session, enrollment_id: int, half_day_id: int) -> CellState:
    """Remove what is recorded for one cell; return the previous state."""
    _check_cell(session, enrollment_id, half_day_id)
    attendance = _find(session, enrollment_id, half_day_id)
    previous = _state(attendance)
    if attendance is not None:
        session.delete(attendance)
        session.flush()
    return previous


def restore_cell(
    session: Session, enrollment_id: int, half_day_id: int, state: CellState
) -> CellState:
    """Put a cell back to ``state`` (undo); return the state it replaced."""
    if state.status is None:
        return clear_cell(session, enrollment_id, half_day_id)
    return set_cell(session, enrollment_id, half_day_id, state.status, state.reason)


def mark_all(
    session: Session,
    group_id: int,
    status: str = AttendanceStatus.PRESENT.value,
    *,
    half_day_ids: Iterable[int] | None = None,
    only_empty: bool = False,
) -> dict[CellKey, CellState]:
    """« Tous présents »: set ``status`` for every registered or confirmed participant on the
    given half-days (all of the group's when None); waiting-list rows are left alone.
    With ``only_empty``, cells already recorded are kept. Return the previous state of every
    cell changed, for ``restore_cells``."""
    _check_status(status)
    group = get_group(session, group_id)
    group_half_days = {half.id for half in group.half_days}
    wanted = group_half_days if half_day_ids is None else set(half_day_ids)
    foreign = wanted - group_half_days
    if foreign:
        raise AttendanceError(
            f"La demi-journée n° {min(foreign)} n'appartient pas au groupe « {group.label} »."
        )
    enrollment_ids = list(
        session.scalars(
            select(Enrollment.id).where(
                Enrollment.group_id == group_id, Enrollment.status.in_(ACTIVE_STATUSES)
            )
        )
    )
    existing = {
        (record.enrollment_id, record.half_day_id): record
        for record in session.scalars(
            select(Attendance).where(
                Attendance.enrollment_id.in_(enrollment_ids), Attendance.half_day_id.in_(wanted)
            )
        )
    }
    previous: dict[CellKey, CellState] = {}
    for enrollment_id in enrollment_ids:
        for half_day_id in sorted(wanted):
            key = (enrollment_id, half_day_id)
            record = existing.get(key)
            if record is not None and (only_empty or record.status == status):
                continue
            previous[key] = _state(record)
            if record is None:
                session.add(
                    Attendance(enrollment_id=enrollment_id, half_day_id=half_day_id, status=status)
                )
            else:
                record.status = status
                record.reason = ""
    session.flush()
    return previous


def restore_cells(session: Session, states: Mapping[CellKey, CellState]) -> None:
    """Undo ``mark_all``: put every cell back to the state it had."""
    for (enrollment_id, half_day_id), state in states.items():
        restore_cell(session, enrollment_id, half_day_id, state)


def attendance_grid(session: Session, group_id: int) -> AttendanceGrid:
    """Rows (non-cancelled enrollments, by name), columns (half-days in order) and cells."""
    group = get_group(session, group_id)
    columns = [
        HalfDayColumn(half.id, day.date, half.period, half.start_time, half.end_time)
        for day in sorted(group.days, key=lambda d: d.date)
        for half in sorted(day.half_days, key=lambda h: h.period)
    ]
    enrollments = session.scalars(
        select(Enrollment)
        .join(Participant)
        .where(
            Enrollment.group_id == group_id,
            Enrollment.status != EnrollmentStatus.CANCELLED.value,
        )
        .options(selectinload(Enrollment.participant).selectinload(Participant.employer))
        .order_by(Participant.sort_name, Participant.id)
    ).all()
    rows = {
        enrollment.id: AttendanceRow(
            enrollment_id=enrollment.id,
            participant_id=enrollment.participant_id,
            name=enrollment.participant.full_name,
            employer=_employer_label(enrollment.participant.employer),
            enrollment_status=enrollment.status,
        )
        for enrollment in enrollments
    }
    for record in session.scalars(
        select(Attendance).where(Attendance.enrollment_id.in_(list(rows)))
    ):
        rows[record.enrollment_id].cells[record.half_day_id] = _state(record)
    return AttendanceGrid(group.id, group.label, columns, list(rows.values()))


def _employer_label(employer: Employer | None) -> str:
    return employer.display_name if employer is not None else ""


def find_enrollment(session: Session, group_id: int, participant_id: int) -> Enrollment:
    """The enrollment of a participant in a group, with a French error when there is none."""
    get_group(session, group_id)
    enrollment = session.scalar(
        select(Enrollment).where(
            Enrollment.group_id == group_id, Enrollment.participant_id == participant_id
        )
    )
    if enrollment is None:
        participant = session.get(Participant, participant_id)
        if participant is None:
            raise NotFoundError("participant", participant_id)
        raise AttendanceError(f"{participant.full_name} n'est pas inscrit(e) à ce groupe.")
    return enrollment


def find_half_day(session: Session, group_id: int, date: dt.date, period: str) -> HalfDay:
    """The half-day of a group at a date and period (am/pm)."""
    if period not in PERIOD_LABELS:
        raise AttendanceError(f"Demi-journée inconnue : « {period} » (am ou pm).")
    group = get_group(session, group_id)
    half_day = session.scalar(
        select(HalfDay)
        .join(GroupDay)
        .where(GroupDay.group_id == group_id, GroupDay.date == date, HalfDay.period == period)
    )
    if half_day is None:
        raise AttendanceError(
            f"Le groupe « {group.label} » n'a pas de séance le {date.strftime('%d/%m/%Y')} "
            f"({PERIOD_LABELS[period]})."
        )
    return half_day


def hours_attended(session: Session, enrollment_id: int) -> float:
    """Hours of the half-days where the participant was present or late."""
    rows = session.scalars(
        select(HalfDay)
        .join(Attendance, Attendance.half_day_id == HalfDay.id)
        .where(Attendance.enrollment_id == enrollment_id, Attendance.status.in_(COUNTED_STATUSES))
    )
    return sum(half.hours for half in rows)


def hours_planned(session: Session, group_id: int) -> float:
    rows = session.scalars(select(HalfDay).join(GroupDay).where(GroupDay.group_id == group_id))
    return sum(half.hours for half in rows)
