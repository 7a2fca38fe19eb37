"""Attendance (présence) per enrollment and half-day, and the hours it adds up to.

Rules: a half-day's attendance can be recorded once it has started (by the session's clock,
``allervers_desktop.clock``); « en retard » carries the arrival time and a departure time marks
someone who left early; the attendance of a group « Terminé » whose certificates were issued
is locked until someone unlocks it with a reason (``services/attendance_lock.py``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session, selectinload

from allervers_desktop.clock import now
from allervers_desktop.db.models import (
    Attendance,
    AttendanceStatus,
    Employer,
    Enrollment,
    EnrollmentStatus,
    GroupDay,
    HalfDay,
    Participant,
)
from allervers_desktop.formatting import (
    PERIOD_LABELS,
    attendance_label,
    day_month,
    short_date,
    spoken_time,
)
from allervers_desktop.presence import attended_minutes, planned_minutes
from allervers_desktop.services.attendance_lock import check_unlocked, lock_reason
from allervers_desktop.services.enrollments import get_enrollment
from allervers_desktop.services.errors import NotFoundError, ServiceError
from allervers_desktop.services.groups import ACTIVE_STATUSES, LEFT_STATUSES, get_group

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
    arrived_at: dt.time | None = None  # « en retard »: when they arrived
    left_at: dt.time | None = None  # « parti(e) plus tôt »: when they left

    @property
    def is_recorded(self) -> bool:
        return self.status is not None

    @property
    def counts(self) -> bool:
        """Present or late: some of the half-day's hours count as attended."""
        return self.status in COUNTED_STATUSES

    @property
    def is_partial(self) -> bool:
        """Late or left early: only part of the half-day was attended."""
        return self.counts and (self.arrived_at is not None or self.left_at is not None)

    def minutes(self, start: dt.time, end: dt.time) -> int:
        """Minutes attended of a half-day planned from ``start`` to ``end``."""
        return attended_minutes(start, end, self.status, self.arrived_at, self.left_at)

    @property
    def label(self) -> str:
        """« En retard (arrivée 9 h 20) », « Présent (départ 11 h 00) »."""
        return attendance_label(self.status, self.arrived_at, self.left_at, self.reason)


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
    def minutes(self) -> int:
        return planned_minutes(self.start_time, self.end_time)

    @property
    def hours(self) -> float:
        return self.minutes / 60

    @property
    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.start_time)

    @property
    def ends_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.end_time)

    def started(self, moment: dt.datetime) -> bool:
        """Attendance can be recorded from the half-day's start."""
        return self.starts_at <= moment

    def attended_minutes(self, state: CellState) -> int:
        return state.minutes(self.start_time, self.end_time)

    def attended_hours(self, state: CellState) -> float:
        return self.attended_minutes(state) / 60

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
    now: dt.datetime = dt.datetime.max  # the clock when read: later half-days are not open
    locked_reason: str = ""  # why the attendance cannot be changed; empty: it can

    @property
    def locked(self) -> bool:
        return bool(self.locked_reason)

    def is_open(self, half_day_id: int) -> bool:
        """The half-day has started: its attendance can be recorded."""
        return self.column(half_day_id).started(self.now)

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

    def minutes_attended(self, row: AttendanceRow) -> int:
        return sum(column.attended_minutes(row.cell(column.half_day_id)) for column in self.columns)

    def hours_attended(self, row: AttendanceRow) -> float:
        return self.minutes_attended(row) / 60

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
        attended = recorded = 0
        for column in self.columns:
            for row in self.rows:
                state = row.cell(column.half_day_id)
                if state.is_recorded:
                    recorded += column.minutes
                    attended += column.attended_minutes(state)
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


def _check_cell(session: Session, enrollment_id: int, half_day_id: int) -> HalfDay:
    """The half-day, once checked that it is of the enrollment's group, that the enrollment
    is not cancelled and that the group's attendance is not locked."""
    enrollment = get_enrollment(session, enrollment_id)
    half_day = session.get(HalfDay, half_day_id)
    if half_day is None:
        raise NotFoundError("demi-journée", half_day_id)
    if half_day.day.group_id != enrollment.group_id:
        raise AttendanceError("Cette demi-journée n'appartient pas au groupe de l'inscription.")
    if enrollment.status in LEFT_STATUSES:
        word = "annulée" if enrollment.status == EnrollmentStatus.CANCELLED.value else "transférée"
        raise AttendanceError(
            f"L'inscription de {enrollment.participant.full_name} est {word} : "
            "aucune présence ne peut être saisie."
        )
    if enrollment.status == EnrollmentStatus.WAITLISTED.value:
        raise AttendanceError(
            f"{enrollment.participant.full_name} est en liste d'attente : donnez-lui d'abord "
            "une place pour saisir ses présences."
        )
    check_unlocked(session, enrollment.group_id)
    return half_day


def not_started_message(date: dt.date, period: str, start: dt.time) -> str:
    return (
        f"La demi-journée du {short_date(date)} ({PERIOD_LABELS[period]}) n'a pas encore "
        f"commencé : la présence ne peut être saisie qu'à partir de {spoken_time(start)} "
        "ce jour-là."
    )


def _check_started(session: Session, half_day: HalfDay) -> None:
    if dt.datetime.combine(half_day.day.date, half_day.start_time) > now(session):
        raise AttendanceError(
            not_started_message(half_day.day.date, half_day.period, half_day.start_time)
        )


def check_times(
    status: str,
    start: dt.time,
    end: dt.time,
    arrived_at: dt.time | None,
    left_at: dt.time | None,
) -> None:
    """« En retard » needs its arrival time, a departure is for who attended, and the times
    must leave some of the half-day attended."""
    late = status == AttendanceStatus.LATE.value
    if late and arrived_at is None:
        raise AttendanceError("« En retard » demande l'heure d'arrivée.")
    if arrived_at is not None and not late:
        raise AttendanceError("L'heure d'arrivée ne s'indique que pour « en retard ».")
    if left_at is not None and status not in COUNTED_STATUSES:
        raise AttendanceError(
            "L'heure de départ ne s'indique que pour « présent » ou « en retard »."
        )
    if arrived_at is not None and arrived_at >= end:
        raise AttendanceError(
            f"L'heure d'arrivée ({spoken_time(arrived_at)}) doit précéder la fin de la "
            f"demi-journée ({spoken_time(end)})."
        )
    if left_at is not None and left_at <= start:
        raise AttendanceError(
            f"L'heure de départ ({spoken_time(left_at)}) doit suivre le début de la "
            f"demi-journée ({spoken_time(start)})."
        )
    if arrived_at is not None and left_at is not None and left_at <= arrived_at:
        raise AttendanceError(
            f"L'heure de départ ({spoken_time(left_at)}) doit suivre l'heure d'arrivée "
            f"({spoken_time(arrived_at)})."
        )


def _find(session: Session, enrollment_id: int, half_day_id: int) -> Attendance | None:
    return session.scalar(
        select(Attendance).where(
            Attendance.enrollment_id == enrollment_id, Attendance.half_day_id == half_day_id
        )
    )


def _state(attendance: Attendance | None) -> CellState:
    if attendance is None:
        return EMPTY_CELL
    return CellState(
        attendance.status, attendance.reason, attendance.arrived_at, attendance.left_at
    )


def _kept_reason(status: str, reason: str) -> str:
    return reason.strip() if status == AttendanceStatus.EXCUSED.value else ""


def record_attendance(
    session: Session,
    enrollment_id: int,
    half_day_id: int,
    status: str,
    reason: str = "",
    *,
    arrived_at: dt.time | None = None,
    left_at: dt.time | None = None,
) -> Attendance:
    """Set one participant's status for one half-day of their own group."""
    set_cell(
        session, enrollment_id, half_day_id, status, reason, arrived_at=arrived_at, left_at=left_at
    )
    attendance = _find(session, enrollment_id, half_day_id)
    assert attendance is not None
    return attendance


def set_cell(
    session: Session,
    enrollment_id: int,
    half_day_id: int,
    status: str,
    reason: str = "",
    *,
    arrived_at: dt.time | None = None,
    left_at: dt.time | None = None,
) -> CellState:
    """Record a status with its times (the reason is kept for « excusé » only) on a half-day
    that has started; return the previous state."""
    _check_status(status)
    half_day = _check_cell(session, enrollment_id, half_day_id)
    _check_started(session, half_day)
    check_times(status, half_day.start_time, half_day.end_time, arrived_at, left_at)
    attendance = _find(session, enrollment_id, half_day_id)
    previous = _state(attendance)
    if attendance is None:
        attendance = Attendance(enrollment_id=enrollment_id, half_day_id=half_day_id, status=status)
        session.add(attendance)
    attendance.status = status
    attendance.reason = _kept_reason(status, reason)
    attendance.arrived_at = arrived_at
    attendance.left_at = left_at
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
    return set_cell(
        session,
        enrollment_id,
        half_day_id,
        state.status,
        state.reason,
        arrived_at=state.arrived_at,
        left_at=state.left_at,
    )


def mark_all(
    session: Session,
    group_id: int,
    status: str = AttendanceStatus.PRESENT.value,
    *,
    half_day_ids: Iterable[int] | None = None,
    only_empty: bool = False,
) -> dict[CellKey, CellState]:
    """« Tous présents »: set ``status`` for every registered or confirmed participant on the
    given half-days (all of the group's that have started when None); waiting-list rows are
    left alone. With ``only_empty``, cells already recorded are kept. Return the previous
    state of every cell changed, for ``restore_cells``."""
    _check_status(status)
    if status == AttendanceStatus.LATE.value:
        raise AttendanceError(
            "« En retard » demande l'heure d'arrivée de chacun : saisissez-la participant "
            "par participant."
        )
    group = get_group(session, group_id)
    check_unlocked(session, group_id)
    moment = now(session)
    halves = {half.id: half for half in group.half_days}
    if half_day_ids is None:
        wanted = {
            half.id
            for half in halves.values()
            if dt.datetime.combine(half.day.date, half.start_time) <= moment
        }
        if not wanted and halves:
            first = min(halves.values(), key=lambda h: (h.day.date, h.start_time))
            raise AttendanceError(
                not_started_message(first.day.date, first.period, first.start_time)
            )
    else:
        wanted = set(half_day_ids)
        foreign = wanted - set(halves)
        if foreign:
            raise AttendanceError(
                f"La demi-journée n° {min(foreign)} n'appartient pas au groupe « {group.label} »."
            )
        for half_day_id in sorted(wanted, key=lambda i: (halves[i].day.date, halves[i].start_time)):
            _check_started(session, halves[half_day_id])
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
                record.arrived_at = None
                record.left_at = None
    session.flush()
    return previous


def restore_cells(session: Session, states: Mapping[CellKey, CellState]) -> None:
    """Undo ``mark_all``: put every cell back to the state it had."""
    for (enrollment_id, half_day_id), state in states.items():
        restore_cell(session, enrollment_id, half_day_id, state)


def attendance_grid(session: Session, group_id: int) -> AttendanceGrid:
    """Rows (the enrollments with a seat, by name), columns (half-days in order) and cells,
    with the clock's time (which half-days are open) and the lock."""
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
            Enrollment.status.not_in(LEFT_STATUSES),
            # The waiting list has no seat, so no attendance (unless some was recorded
            # before the person went back to the list: it stays visible).
            or_(
                Enrollment.status != EnrollmentStatus.WAITLISTED.value,
                exists().where(Attendance.enrollment_id == Enrollment.id),
            ),
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
    return AttendanceGrid(
        group.id,
        group.label,
        columns,
        list(rows.values()),
        now=now(session),
        locked_reason=lock_reason(session, group_id) or "",
    )


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


def minutes_attended(session: Session, enrollment_id: int) -> int:
    """Minutes attended over the half-days where the participant was present or late."""
    rows = session.execute(
        select(Attendance, HalfDay)
        .join(HalfDay, Attendance.half_day_id == HalfDay.id)
        .where(Attendance.enrollment_id == enrollment_id, Attendance.status.in_(COUNTED_STATUSES))
    )
    return sum(_state(record).minutes(half.start_time, half.end_time) for record, half in rows)


def hours_attended(session: Session, enrollment_id: int) -> float:
    """Hours attended (from the real presence times) of one enrollment."""
    return minutes_attended(session, enrollment_id) / 60


def hours_planned(session: Session, group_id: int) -> float:
    rows = session.scalars(select(HalfDay).join(GroupDay).where(GroupDay.group_id == group_id))
    return sum(half.hours for half in rows)
