"""« Transférer vers un autre groupe » and « Remplacer par… »: enrollment changes that keep history.

Both keep the old enrollment (nothing is deleted) and lock the groups' rows first
(``services/locks.py``), so a seat is never given twice.

What stops them, and why:

- **Issued documents** (attestation, certificat de réalisation, even a cancelled version) in
  the old group: always refused. The document register says the person was trained in that
  group; moving or replacing them would make the register contradict the enrollments.
- **Recorded attendance** in the old group: refused unless ``force`` (the command line's
  ``--force``, a confirmation in the window). A person who came to the first day and moves
  to another group is a real case, so it is allowed once confirmed; the attendance stays on
  the old enrollment, in the old group's history and hours, and is never copied.

A transfer marks the old enrollment « Transféré » (``transferred_to_id`` points to the new
one; coming back to a group left earlier takes up that enrollment again); the new group's
capacity is respected (a full group puts the person on its waiting
list, and the result says so); the seat freed in the old group is reported with who could
take it, nobody being promoted. A substitution cancels the old person's enrollment and gives
the new one the same place — the same status, or the same place on the waiting list — never
sending them to the end of the queue; both people must work for the same employer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from allervers_desktop.db.models import (
    Attendance,
    Enrollment,
    EnrollmentStatus,
    Group,
    GroupStatus,
    IssuedDocument,
    Participant,
)
from allervers_desktop.services.attendance import find_enrollment
from allervers_desktop.services.deletion import plural
from allervers_desktop.services.enrollments import EnrollmentError, enroll, is_full
from allervers_desktop.services.errors import NotFoundError
from allervers_desktop.services.groups import ACTIVE_STATUSES, get_group
from allervers_desktop.services.locks import lock_groups
from allervers_desktop.services.same_course import group_dates, same_course_warnings
from allervers_desktop.services.waiting_list import Waiting, promotable

TRANSFERRED = EnrollmentStatus.TRANSFERRED.value
CANCELLED = EnrollmentStatus.CANCELLED.value
WAITLISTED = EnrollmentStatus.WAITLISTED.value
CONFIRMED = EnrollmentStatus.CONFIRMED.value
REGISTERED = EnrollmentStatus.REGISTERED.value
MOVABLE = (*ACTIVE_STATUSES, WAITLISTED)
FORCE_HINT = (
    "Confirmez (--force) pour le faire quand même : les présences restent dans l'historique."
)


@dataclass
class Outcome:
    """What a transfer or a substitution did, for the window and the command line."""

    enrollment: Enrollment  # the new one
    waitlisted: bool = False  # the new group was full: the person waits for a seat
    freed_seat: bool = False  # the old enrollment held a seat, now free
    promotable: list[Waiting] = field(default_factory=list)  # who could take the freed seat
    warnings: list[str] = field(default_factory=list)


def _documents_blocker(session: Session, enrollment: Enrollment, verb: str) -> None:
    numbers = list(
        session.scalars(
            select(IssuedDocument.number)
            .where(IssuedDocument.enrollment_id == enrollment.id)
            .order_by(IssuedDocument.number)
        )
    )
    if numbers:
        raise EnrollmentError(
            f"{enrollment.participant.full_name} ne peut pas être {verb} : "
            f"{plural(len(numbers), 'document délivré', 'documents délivrés')} dans le groupe "
            f"« {enrollment.group.label} » ({', '.join(numbers)}). Le journal des documents "
            "doit rester fidèle aux inscriptions."
        )


def _attendance_check(session: Session, enrollment: Enrollment, force: bool) -> str:
    """A warning when attendance was recorded (and ``force``); refused otherwise."""
    count = _attendance_count(session, enrollment.id)
    if not count:
        return ""
    recorded = plural(count, "demi-journée", "demi-journées")
    if not force:
        raise EnrollmentError(
            f"Des présences sont déjà saisies pour {enrollment.participant.full_name} dans le "
            f"groupe « {enrollment.group.label} » ({recorded}). {FORCE_HINT}"
        )
    return (
        f"Les présences de {enrollment.participant.full_name} ({recorded}) restent dans le "
        f"groupe « {enrollment.group.label} »."
    )


def _movable(enrollment: Enrollment) -> None:
    if enrollment.status not in MOVABLE:
        raise EnrollmentError(
            f"L'inscription de {enrollment.participant.full_name} au groupe "
            f"« {enrollment.group.label} » est "
            f"{'déjà transférée' if enrollment.status == TRANSFERRED else 'annulée'}."
        )


def transfer(
    session: Session,
    participant_id: int,
    from_group_id: int,
    to_group_id: int,
    *,
    force: bool = False,
) -> Outcome:
    """Move a person to another group (of the same course or another one), keeping the old
    enrollment as « Transféré »; see the module's docstring for what refuses it."""
    if from_group_id == to_group_id:
        raise EnrollmentError("Le groupe d'arrivée est celui de départ : choisissez-en un autre.")
    lock_groups(session, [from_group_id, to_group_id])
    target = get_group(session, to_group_id)
    old = find_enrollment(session, from_group_id, participant_id)
    _movable(old)
    if target.status == GroupStatus.CANCELLED.value:
        raise EnrollmentError(f"Le groupe « {target.label} » est annulé : choisissez-en un autre.")
    _documents_blocker(session, old, "transféré(e)")
    warning = _attendance_check(session, old, force)
    held_seat = old.status in ACTIVE_STATUSES
    wanted = CONFIRMED if old.status == CONFIRMED else REGISTERED
    new = _enrollment_in(session, to_group_id, participant_id, wanted, from_group_id)
    old.status = TRANSFERRED
    old.waitlist_rank = None
    old.transferred_to_id = new.id
    session.flush()
    outcome = Outcome(new, waitlisted=new.status == WAITLISTED)
    if warning:
        outcome.warnings.append(warning)
    outcome.warnings += same_course_warnings(session, to_group_id, [participant_id]).get(
        participant_id, []
    )
    outcome.freed_seat = held_seat
    if held_seat:
        outcome.promotable = promotable(session, from_group_id)
    return outcome


def _enrollment_in(
    session: Session, group_id: int, participant_id: int, wanted: str, from_group_id: int
) -> Enrollment:
    """The new enrollment; coming back to a group left earlier (« Annulé », « Transféré »)
    takes up that enrollment again, since a person is enrolled once per group."""
    earlier = session.scalar(
        select(Enrollment).where(
            Enrollment.group_id == group_id,
            Enrollment.participant_id == participant_id,
            Enrollment.status.in_([CANCELLED, TRANSFERRED]),
        )
    )
    if earlier is None:
        return enroll(
            session,
            group_id,
            participant_id,
            status=wanted,
            source=f"transfert depuis le groupe n° {from_group_id}",
        )
    earlier.status = WAITLISTED if is_full(session, earlier.group) else wanted
    earlier.transferred_to_id = None
    earlier.waitlist_rank = None
    session.flush()
    return earlier


def substitute(
    session: Session, group_id: int, old_id: int, new_id: int, *, force: bool = False
) -> Outcome:
    """« Remplacer par… »: ``new_id`` takes ``old_id``'s place in the group (same status, same
    place on the waiting list); ``old_id``'s enrollment is kept as « Annulé »."""
    if old_id == new_id:
        raise EnrollmentError("Une personne ne peut pas se remplacer elle-même.")
    lock_groups(session, [group_id])
    old = find_enrollment(session, group_id, old_id)
    _movable(old)
    newcomer = session.get(Participant, new_id)
    if newcomer is None:
        raise NotFoundError("participant", new_id)
    leaving = old.participant
    if leaving.employer_id is None or leaving.employer_id != newcomer.employer_id:
        raise EnrollmentError(
            f"{newcomer.full_name} ({_employer_of(newcomer)}) ne peut pas remplacer "
            f"{leaving.full_name} ({_employer_of(leaving)}) : un remplacement se fait entre "
            "personnes du même établissement. Sinon, annulez l'inscription et inscrivez "
            "l'autre personne (elle passera par la liste d'attente si le groupe est complet)."
        )
    existing = session.scalar(
        select(Enrollment).where(
            Enrollment.group_id == group_id, Enrollment.participant_id == new_id
        )
    )
    if existing is not None:
        raise EnrollmentError(
            f"{newcomer.full_name} a déjà une inscription dans le groupe « {old.group.label} »."
        )
    _documents_blocker(session, old, "remplacé(e)")
    warning = _attendance_check(session, old, force)
    status, rank = old.status, old.waitlist_rank
    old.status = CANCELLED
    old.waitlist_rank = None
    session.flush()  # the seat is free before it is taken again: the count never goes over
    new = Enrollment(
        group_id=group_id,
        participant_id=new_id,
        status=status,
        waitlist_rank=rank,
        source=f"remplacement du participant n° {old_id}",
        enrolled_on=old.enrolled_on,
    )
    session.add(new)
    session.flush()
    if status == WAITLISTED and rank is None:
        # The waiting list follows enrollment order: number it so the newcomer keeps the place.
        _keep_place(session, group_id, old.id, new)
    outcome = Outcome(new, waitlisted=status == WAITLISTED)
    if warning:
        outcome.warnings.append(warning)
    outcome.warnings += same_course_warnings(session, group_id, [new_id]).get(new_id, [])
    return outcome


def _keep_place(session: Session, group_id: int, old_enrollment_id: int, new: Enrollment) -> None:
    waiting = list(
        session.scalars(
            select(Enrollment)
            .where(
                Enrollment.group_id == group_id,
                (Enrollment.status == WAITLISTED) | (Enrollment.id == old_enrollment_id),
            )
            .order_by(Enrollment.waitlist_rank.is_(None), Enrollment.waitlist_rank, Enrollment.id)
        )
    )
    order = [new if e.id == old_enrollment_id else e for e in waiting if e.id != new.id]
    for rank, enrollment in enumerate(order, start=1):
        enrollment.waitlist_rank = rank
    session.flush()


def _employer_of(participant: Participant) -> str:
    return participant.employer.display_name if participant.employer else "sans établissement"


def recorded_half_days(session: Session, group_id: int, participant_id: int) -> int:
    """How many half-days of attendance the person has in the group (a move asks first)."""
    return _attendance_count(session, find_enrollment(session, group_id, participant_id).id)


def _attendance_count(session: Session, enrollment_id: int) -> int:
    return (
        session.scalar(select(func.count()).where(Attendance.enrollment_id == enrollment_id)) or 0
    )


def transfer_targets(session: Session, from_group_id: int) -> list[tuple[int, str]]:
    """The groups a person can be moved to: not cancelled, not this one; the same course's
    first, then by date. (id, « Groupe 2, Metz (du 16/10/2023 au 17/10/2023) — Formation »)."""
    source = get_group(session, from_group_id)
    groups = session.scalars(
        select(Group)
        .where(Group.id != from_group_id, Group.status != GroupStatus.CANCELLED.value)
        .order_by((Group.course_id != source.course_id), Group.first_date, Group.label)
    ).all()
    return [(group.id, _group_line(group)) for group in groups]


def substitute_candidates(
    session: Session, group_id: int, participant_id: int
) -> list[tuple[int, str]]:
    """The people of the same employer who could take this person's place (not in the group)."""
    leaving = find_enrollment(session, group_id, participant_id).participant
    if leaving.employer_id is None:
        return []
    enrolled = select(Enrollment.participant_id).where(Enrollment.group_id == group_id)
    people = session.scalars(
        select(Participant)
        .where(
            Participant.employer_id == leaving.employer_id,
            Participant.id.not_in(enrolled),
            Participant.anonymised_at.is_(None),
        )
        .order_by(Participant.sort_name, Participant.id)
    ).all()
    return [(person.id, person.full_name) for person in people]


def _group_line(group: Group) -> str:
    place = f", {group.city}" if group.city else ""
    course = (
        f"{group.course.title} — {group.course.module}"
        if group.course.module
        else group.course.title
    )
    return f"{group.label}{place} ({group_dates(group)}) — {course}"
