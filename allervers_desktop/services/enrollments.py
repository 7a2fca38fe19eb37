"""Enrollments (inscriptions): add a participant to a group, change status, capacity rules."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from allervers_desktop.db.models import Attendance, Enrollment, EnrollmentStatus, Group, Participant
from allervers_desktop.formatting import ENROLLMENT_STATUS_LABELS
from allervers_desktop.services.deletion import DeletionImpact, certificates_blocker, plural
from allervers_desktop.services.errors import DeletionBlockedError, NotFoundError, ServiceError
from allervers_desktop.services.groups import ACTIVE_STATUSES, enrolled_count
from allervers_desktop.services.locks import lock_groups

MANUAL_SOURCE = "saisie"


class EnrollmentError(ServiceError):
    """An enrollment rule was broken (already enrolled, unknown status…)."""


def get_enrollment(session: Session, enrollment_id: int) -> Enrollment:
    enrollment = session.get(Enrollment, enrollment_id)
    if enrollment is None:
        raise NotFoundError("inscription", enrollment_id)
    return enrollment


def enroll(
    session: Session,
    group_id: int,
    participant_id: int,
    *,
    status: str = EnrollmentStatus.REGISTERED.value,
    source: str = MANUAL_SOURCE,
    on: dt.date | None = None,
) -> Enrollment:
    """Enroll a participant; a full group puts them on the waiting list instead.

    The group's row is locked first: two programs enrolling into its last seat, or the same
    person, at the same moment, are served one after the other."""
    lock_groups(session, [group_id])
    group = session.get(Group, group_id)
    if group is None:
        raise NotFoundError("groupe", group_id)
    participant = session.get(Participant, participant_id)
    if participant is None:
        raise NotFoundError("participant", participant_id)
    existing = session.scalar(
        select(Enrollment).where(
            Enrollment.group_id == group_id, Enrollment.participant_id == participant_id
        )
    )
    if existing is not None:
        raise EnrollmentError(
            f"{participant.full_name} est déjà inscrit(e) à ce groupe "
            f"({ENROLLMENT_STATUS_LABELS[existing.status].lower()})."
        )
    if status in ACTIVE_STATUSES and is_full(session, group):
        status = EnrollmentStatus.WAITLISTED.value
    enrollment = Enrollment(
        group_id=group_id,
        participant_id=participant_id,
        status=status,
        source=source,
        enrolled_on=on or dt.date.today(),
    )
    session.add(enrollment)
    session.flush()
    return enrollment


def is_full(session: Session, group: Group) -> bool:
    return group.capacity is not None and enrolled_count(session, group.id) >= group.capacity


def set_status(session: Session, enrollment_id: int, status: str) -> Enrollment:
    """Change an enrollment's status; taking a place in a full group is refused, and
    « Transféré » is given by ``services/transfers.transfer`` only."""
    if status not in ENROLLMENT_STATUS_LABELS:
        raise EnrollmentError(f"Statut d'inscription inconnu : « {status} ».")
    if status == EnrollmentStatus.TRANSFERRED.value:
        raise EnrollmentError(
            "Le statut « Transféré » se donne en transférant la personne vers un autre groupe "
            "(« Transférer vers un autre groupe »)."
        )
    enrollment = get_enrollment(session, enrollment_id)
    lock_groups(session, [enrollment.group_id])
    if (
        status in ACTIVE_STATUSES
        and enrollment.status not in ACTIVE_STATUSES
        and is_full(session, enrollment.group)
    ):
        raise EnrollmentError(
            f"Le groupe est complet ({enrolled_count(session, enrollment.group_id)} / "
            f"{enrollment.group.capacity}) : augmentez sa capacité ou laissez "
            "l'inscription en liste d'attente."
        )
    enrollment.status = status
    enrollment.transferred_to_id = None  # back in this group: no longer moved elsewhere
    session.flush()
    return enrollment


def describe_unenrollment(session: Session, enrollment_id: int) -> DeletionImpact:
    enrollment = get_enrollment(session, enrollment_id)
    impact = DeletionImpact(
        subject=f"l'inscription de {enrollment.participant.full_name} au {enrollment.group.label}"
    )
    blocker = certificates_blocker(session, [enrollment_id])
    if blocker:
        impact.blockers.append(blocker)
    count = (
        session.scalar(select(func.count()).where(Attendance.enrollment_id == enrollment_id)) or 0
    )
    if count:
        impact.consequences.append(
            f"Cette inscription a {plural(count, 'présence enregistrée', 'présences enregistrées')}"
            " : elles seront supprimées. Pour garder la trace, préférez le statut « Annulé »."
        )
    return impact


def unenroll(session: Session, enrollment_id: int) -> None:
    impact = describe_unenrollment(session, enrollment_id)
    if not impact.allowed:
        raise DeletionBlockedError(impact.message())
    enrollment = get_enrollment(session, enrollment_id)
    session.execute(delete(Attendance).where(Attendance.enrollment_id == enrollment_id))
    session.delete(enrollment)
    session.flush()
