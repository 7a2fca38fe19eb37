"""Liste d'attente: its order, who may take a freed seat, promotion and cancellation.

Nothing is promoted behind the coordinator's back: cancelling a place says who could take it
(``promotable``), and promotion is a separate, explicit step. Every change locks the group's
row first (``services/locks.py``), so two coordinators never give away the same seat.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from allervers_desktop.db.models import Enrollment, EnrollmentStatus, Group
from allervers_desktop.services.attendance import find_enrollment
from allervers_desktop.services.enrollments import EnrollmentError
from allervers_desktop.services.groups import enrolled_count, get_group
from allervers_desktop.services.locks import lock_groups

WAITLISTED = EnrollmentStatus.WAITLISTED.value
REGISTERED = EnrollmentStatus.REGISTERED.value
CANCELLED = EnrollmentStatus.CANCELLED.value


@dataclass(frozen=True)
class Waiting:
    """One person on the waiting list, at ``position`` (1 = the next to get a seat)."""

    position: int
    enrollment_id: int
    participant_id: int
    name: str
    employer: str


def _waiting_enrollments(session: Session, group_id: int) -> list[Enrollment]:
    return list(
        session.scalars(
            select(Enrollment)
            .where(Enrollment.group_id == group_id, Enrollment.status == WAITLISTED)
            .order_by(Enrollment.waitlist_rank.is_(None), Enrollment.waitlist_rank, Enrollment.id)
        )
    )


def waiting_list(session: Session, group_id: int) -> list[Waiting]:
    """The group's waiting list, in order."""
    get_group(session, group_id)
    people = []
    for position, enrollment in enumerate(_waiting_enrollments(session, group_id), start=1):
        participant = enrollment.participant
        employer = participant.employer.display_name if participant.employer else ""
        people.append(
            Waiting(position, enrollment.id, participant.id, participant.full_name, employer)
        )
    return people


def free_seats(session: Session, group: Group) -> int | None:
    """Seats left (None: the group has no capacity limit)."""
    if group.capacity is None:
        return None
    return max(group.capacity - enrolled_count(session, group.id), 0)


def promotable(session: Session, group_id: int) -> list[Waiting]:
    """Who could take the free seats now, in the waiting list's order."""
    waiting = waiting_list(session, group_id)
    seats = free_seats(session, get_group(session, group_id))
    return waiting if seats is None else waiting[:seats]


def promote(session: Session, group_id: int, participant_id: int) -> Enrollment:
    """Give a waiting person a seat (refused when none is free)."""
    lock_groups(session, [group_id])
    group = get_group(session, group_id)
    enrollment = find_enrollment(session, group_id, participant_id)
    name = enrollment.participant.full_name
    if enrollment.status != WAITLISTED:
        raise EnrollmentError(f"{name} n'est pas sur la liste d'attente de ce groupe.")
    if free_seats(session, group) == 0:
        raise EnrollmentError(
            f"Le groupe est complet ({enrolled_count(session, group_id)} / {group.capacity}) : "
            f"{name} reste sur la liste d'attente. Libérez une place ou augmentez la capacité."
        )
    enrollment.status = REGISTERED
    enrollment.waitlist_rank = None
    session.flush()
    return enrollment


def cancel(session: Session, group_id: int, participant_id: int) -> list[Waiting]:
    """Cancel a person's enrollment (kept, with the status « Annulé »); return who could
    take the freed seat. Nobody is promoted here."""
    lock_groups(session, [group_id])
    enrollment = find_enrollment(session, group_id, participant_id)
    if enrollment.status == CANCELLED:
        raise EnrollmentError(
            f"L'inscription de {enrollment.participant.full_name} est déjà annulée."
        )
    enrollment.status = CANCELLED
    enrollment.waitlist_rank = None
    session.flush()
    return promotable(session, group_id)


def move(session: Session, group_id: int, participant_id: int, position: int) -> list[Waiting]:
    """Put a waiting person at ``position`` (1 = next); the whole list is numbered again."""
    lock_groups(session, [group_id])
    enrollment = find_enrollment(session, group_id, participant_id)
    if enrollment.status != WAITLISTED:
        raise EnrollmentError(
            f"{enrollment.participant.full_name} n'est pas sur la liste d'attente de ce groupe."
        )
    order = [e for e in _waiting_enrollments(session, group_id) if e.id != enrollment.id]
    if not 1 <= position <= len(order) + 1:
        raise EnrollmentError(
            f"La liste d'attente compte {len(order) + 1} personne(s) : choisissez une place "
            f"entre 1 et {len(order) + 1}."
        )
    order.insert(position - 1, enrollment)
    for rank, item in enumerate(order, start=1):
        item.waitlist_rank = rank
    session.flush()
    return waiting_list(session, group_id)
