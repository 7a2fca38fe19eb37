"""Participants (stagiaires): create, edit, delete, with their employer and their groups."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from allervers_desktop.db.models import Attendance, Enrollment, Group, Participant
from allervers_desktop.phones import display_phone
from allervers_desktop.services.deletion import DeletionImpact, certificates_blocker, plural
from allervers_desktop.services.employers import find_or_create_employer, get_employer
from allervers_desktop.services.errors import DeletionBlockedError, Errors, NotFoundError
from allervers_desktop.services.validation import (
    clean,
    clean_civility,
    clean_email,
    clean_phone,
    require,
)


@dataclass
class ParticipantData:
    """A participant as a form gives it. The employer is an existing id or a new name + city."""

    last_name: str
    first_name: str = ""
    civility: str = ""
    email: str = ""
    phone: str = ""
    job_title: str = ""
    employer_id: int | None = None
    employer_name: str = ""
    employer_city: str = ""
    notes: str = ""

    @classmethod
    def from_participant(cls, participant: Participant) -> ParticipantData:
        return cls(
            last_name=participant.last_name,
            first_name=participant.first_name,
            civility=participant.civility,
            email=participant.email or "",
            phone=display_phone(participant.phone),  # the form shows it the French way
            job_title=participant.job_title,
            employer_id=participant.employer_id,
            notes=participant.notes,
        )


def get_participant(session: Session, participant_id: int) -> Participant:
    participant = session.scalar(
        select(Participant)
        .where(Participant.id == participant_id)
        .options(
            selectinload(Participant.employer),
            selectinload(Participant.enrollments)
            .selectinload(Enrollment.group)
            .selectinload(Group.course),
        )
    )
    if participant is None:
        raise NotFoundError("participant", participant_id)
    return participant


def _apply(session: Session, participant: Participant, data: ParticipantData) -> None:
    errors = Errors()
    participant.last_name = clean(data.last_name)
    participant.first_name = clean(data.first_name)
    require(errors, "last_name", participant.last_name, "Nom")
    participant.civility = clean_civility(errors, "civility", data.civility)
    email = clean_email(errors, "email", data.email)
    if email:
        clash = session.scalar(
            select(Participant).where(
                func.lower(Participant.email) == email, Participant.id != participant.id
            )
        )
        if clash is not None:
            errors.add(
                "email",
                f"L'adresse « {email} » est déjà celle de {clash.full_name} (n° {clash.id}).",
            )
    participant.email = email
    participant.phone = clean_phone(errors, "phone", data.phone)
    participant.job_title = clean(data.job_title)
    participant.notes = data.notes.strip()
    errors.raise_if_any()
    if data.employer_id is not None:
        participant.employer = get_employer(session, data.employer_id)
    elif clean(data.employer_name):
        participant.employer = find_or_create_employer(
            session, data.employer_name, data.employer_city
        )
    else:
        participant.employer = None


def create_participant(session: Session, data: ParticipantData) -> Participant:
    participant = Participant(last_name="")
    _apply(session, participant, data)
    session.add(participant)
    session.flush()
    return participant


def update_participant(session: Session, participant_id: int, data: ParticipantData) -> Participant:
    participant = get_participant(session, participant_id)
    _apply(session, participant, data)
    session.flush()
    return participant


def describe_participant_deletion(session: Session, participant_id: int) -> DeletionImpact:
    participant = get_participant(session, participant_id)
    impact = DeletionImpact(subject=f"le participant {participant.full_name}")
    enrollments = participant.enrollments
    blocker = certificates_blocker(session, [e.id for e in enrollments])
    if blocker:
        impact.blockers.append(blocker)
    if enrollments:
        attendances = (
            session.scalar(
                select(func.count())
                .select_from(Attendance)
                .join(Enrollment)
                .where(Enrollment.participant_id == participant_id)
            )
            or 0
        )
        groups = ", ".join(
            e.group.label + (f" ({e.group.city})" if e.group.city else "") for e in enrollments
        )
        line = f"Ce participant est inscrit à {plural(len(enrollments), 'groupe')} ({groups})"
        if attendances:
            line += f" avec {plural(attendances, 'présence enregistrée', 'présences enregistrées')}"
        impact.consequences.append(line + " : ses inscriptions seront supprimées.")
    return impact


def delete_participant(session: Session, participant_id: int) -> None:
    """Delete a participant and, explicitly, their enrollments and attendance."""
    impact = describe_participant_deletion(session, participant_id)
    if not impact.allowed:
        raise DeletionBlockedError(impact.message())
    participant = get_participant(session, participant_id)
    enrollment_ids = select(Enrollment.id).where(Enrollment.participant_id == participant_id)
    session.execute(delete(Attendance).where(Attendance.enrollment_id.in_(enrollment_ids)))
    session.execute(delete(Enrollment).where(Enrollment.participant_id == participant_id))
    session.expire(participant, ["enrollments"])
    session.delete(participant)
    session.flush()
