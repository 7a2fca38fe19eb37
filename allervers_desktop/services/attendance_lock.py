"""Attendance lock: a group « Terminé » whose certificates were issued keeps its attendance.

The attendance is locked once the group is completed and an attestation or a certificat de
réalisation was issued for it; unlocking asks for a reason, recorded with who (the system
user) and when. An unlock holds until a certificate is issued again after it."""

from __future__ import annotations

import datetime as dt
import getpass
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from allervers_desktop.clock import now
from allervers_desktop.db.models import (
    AttendanceUnlock,
    Enrollment,
    Group,
    GroupStatus,
    IssuedDocument,
)
from allervers_desktop.services.errors import NotFoundError, ServiceError


class AttendanceLockedError(ServiceError):
    """The attendance of this group is locked."""


@dataclass(frozen=True)
class UnlockEntry:
    """One unlock, as the group shows it."""

    unlocked_at: dt.datetime
    unlocked_by: str
    reason: str


def _group(session: Session, group_id: int) -> Group:
    group = session.get(Group, group_id)
    if group is None:
        raise NotFoundError("groupe", group_id)
    return group


def lock_reason(session: Session, group_id: int) -> str | None:
    """Why the attendance of the group cannot be changed, in French; None when it can."""
    group = _group(session, group_id)
    if group.status != GroupStatus.COMPLETED.value:
        return None
    last_issued = session.scalar(
        select(func.max(IssuedDocument.first_issued_at))
        .join(Enrollment, IssuedDocument.enrollment_id == Enrollment.id)
        .where(Enrollment.group_id == group_id)
    )
    if last_issued is None:
        return None
    last_unlock = session.scalar(
        select(func.max(AttendanceUnlock.unlocked_at)).where(AttendanceUnlock.group_id == group_id)
    )
    if last_unlock is not None and last_unlock >= last_issued:
        return None
    return (
        f"Les présences du groupe « {group.label} » sont verrouillées : le groupe est terminé "
        "et ses attestations ou certificats ont été délivrés. Déverrouillez-les, en indiquant "
        "le motif, pour les corriger."
    )


def check_unlocked(session: Session, group_id: int) -> None:
    reason = lock_reason(session, group_id)
    if reason is not None:
        raise AttendanceLockedError(reason)


def system_user() -> str:
    """The name the operating system gives the user (« inconnu » when it gives none)."""
    try:
        return getpass.getuser() or "inconnu"
    except (OSError, KeyError, ImportError):
        return "inconnu"


def unlock_attendance(
    session: Session, group_id: int, reason: str, user: str | None = None
) -> AttendanceUnlock:
    """Reopen a locked attendance; the reason is required and kept with who and when."""
    cleaned = " ".join(reason.split())
    if not cleaned:
        raise ServiceError("Indiquez le motif du déverrouillage des présences.")
    group = _group(session, group_id)
    if lock_reason(session, group_id) is None:
        raise ServiceError(f"Les présences du groupe « {group.label} » ne sont pas verrouillées.")
    unlock = AttendanceUnlock(
        group_id=group_id,
        reason=cleaned,
        unlocked_by=(user or system_user())[:100],
        unlocked_at=now(session),
    )
    session.add(unlock)
    session.flush()
    return unlock


def unlock_history(session: Session, group_id: int) -> list[UnlockEntry]:
    """Every unlock of the group's attendance, oldest first."""
    return [
        UnlockEntry(unlock.unlocked_at, unlock.unlocked_by, unlock.reason)
        for unlock in session.scalars(
            select(AttendanceUnlock)
            .where(AttendanceUnlock.group_id == group_id)
            .order_by(AttendanceUnlock.unlocked_at, AttendanceUnlock.id)
        )
    ]
