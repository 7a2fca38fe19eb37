"""Attendance (présence) per enrollment and half-day, and the hours it adds up to."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from allervers_desktop.db.models import (
    Attendance,
    AttendanceStatus,
    Enrollment,
    EnrollmentStatus,
    GroupDay,
    HalfDay,
)
from allervers_desktop.services.enrollments import get_enrollment
from allervers_desktop.services.errors import NotFoundError, ServiceError

COUNTED_STATUSES = (AttendanceStatus.PRESENT.value, AttendanceStatus.LATE.value)


class AttendanceError(ServiceError):
    """An attendance rule was broken."""


def record_attendance(
    session: Session, enrollment_id: int, half_day_id: int, status: str, reason: str = ""
) -> Attendance:
    """Set one participant's status for one half-day of their own group."""
    if status not in {member.value for member in AttendanceStatus}:
        raise AttendanceError(f"Statut de présence inconnu : « {status} ».")
    enrollment = get_enrollment(session, enrollment_id)
    half_day = session.get(HalfDay, half_day_id)
    if half_day is None:
        raise NotFoundError("demi-journée", half_day_id)
    if half_day.day.group_id != enrollment.group_id:
        raise AttendanceError("Cette demi-journée n'appartient pas au groupe de l'inscription.")
    if enrollment.status == EnrollmentStatus.CANCELLED.value:
        raise AttendanceError(
            f"L'inscription de {enrollment.participant.full_name} est annulée : "
            "aucune présence ne peut être saisie."
        )
    attendance = session.scalar(
        select(Attendance).where(
            Attendance.enrollment_id == enrollment_id, Attendance.half_day_id == half_day_id
        )
    )
    if attendance is None:
        attendance = Attendance(enrollment_id=enrollment_id, half_day_id=half_day_id, status=status)
        session.add(attendance)
    attendance.status = status
    attendance.reason = reason.strip() if status == AttendanceStatus.EXCUSED.value else ""
    session.flush()
    return attendance


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


def has_attendance(session: Session, enrollment: Enrollment) -> bool:
    return (
        session.scalar(
            select(Attendance.id).where(Attendance.enrollment_id == enrollment.id).limit(1)
        )
        is not None
    )
