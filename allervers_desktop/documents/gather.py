"""Read what a document prints from the database into plain data (no Qt)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session, selectinload

from allervers_desktop.clock import now
from allervers_desktop.db.models import (
    Course,
    Enrollment,
    EnrollmentStatus,
    Group,
    GroupStatus,
    Participant,
    Trainer,
    TrainingProvider,
)
from allervers_desktop.documents.model import (
    Convocation,
    CourseInfo,
    CourseSheet,
    DocumentError,
    GroupInfo,
    GroupSchedule,
    ParticipantInfo,
    SigninSheet,
    TrainerInfo,
)
from allervers_desktop.formatting import short_date
from allervers_desktop.services.attendance import HalfDayColumn
from allervers_desktop.services.courses import get_course
from allervers_desktop.services.errors import NotFoundError
from allervers_desktop.services.groups import ACTIVE_STATUSES, get_group
from allervers_desktop.services.providers import ProviderData
from allervers_desktop.services.settings import get_identity
from allervers_desktop.services.teaching import half_day_trainers


def provider_info(provider: TrainingProvider | None) -> ProviderData:
    """The provider's identity with its images (read through the provider's own session)."""
    if provider is None:
        return ProviderData()
    return ProviderData.from_provider(object_session(provider), provider)


def course_info(course: Course) -> CourseInfo:
    return CourseInfo(
        course_id=course.id,
        title=course.title,
        module=course.module,
        reference=course.reference or "",
        sectors=course.sectors,
        audience=course.audience,
        duration_days=course.duration_days,
        duration_hours=course.duration_hours,
        provider_name=course.provider.name if course.provider else "",
        provider_address=course.provider.address if course.provider else "",
        funding_scheme=course.funding_scheme,
        region=course.region,
        opco_name=course.opco_name,
        opco_contact_name=course.opco_contact_name,
        opco_contact_email=course.opco_contact_email,
        partners=tuple(course.partner_list),
        context=course.context,
        prerequisites=course.prerequisites,
        action_nature=course.action_nature,
        assesses_learning=course.assesses_learning,
        what_to_bring=course.what_to_bring,
        provider=provider_info(course.provider),
        objectives=tuple(objective.text for objective in course.objectives),
        programme=tuple(
            (day.title, tuple(item.text for item in day.items)) for day in course.programme_days
        ),
    )


def trainer_info(trainer: Trainer) -> TrainerInfo:
    return TrainerInfo(trainer.full_name, trainer.job_title, trainer.organisation)


def group_info(session: Session, group_id: int) -> GroupInfo:
    """A group, its course and schedule; refused when it has no half-day planned."""
    group = get_group(session, group_id)
    half_days = tuple(
        HalfDayColumn(half.id, day.date, half.period, half.start_time, half.end_time)
        for day in sorted(group.days, key=lambda d: d.date)
        for half in sorted(day.half_days, key=lambda h: h.period)
    )
    if not half_days:
        raise DocumentError(
            f"Le groupe « {group.label} » n'a aucune journée planifiée : "
            "ajoutez ses dates avant d'imprimer."
        )
    taught = half_day_trainers(session, group_id)
    return GroupInfo(
        group_id=group.id,
        label=group.label,
        city=group.city,
        venue_address=group.venue_address,
        course=course_info(group.course),
        half_days=half_days,
        trainers=tuple(trainer_info(trainer) for trainer in group.trainers),
        half_day_trainers=tuple(
            (half.half_day_id, tuple(trainer_info(t) for t in taught[half.half_day_id]))
            for half in half_days
        ),
    )


def participant_info(enrollment: Enrollment) -> ParticipantInfo:
    participant = enrollment.participant
    employer = participant.employer
    return ParticipantInfo(
        participant_id=participant.id,
        enrollment_id=enrollment.id,
        civility=participant.civility,
        first_name=participant.first_name,
        last_name=participant.last_name,
        job_title=participant.job_title,
        employer=employer.name if employer else "",
        employer_city=employer.city if employer else "",
        assessment_result=enrollment.assessment_result or "",
    )


def group_enrollments(
    session: Session,
    group_id: int,
    statuses: Iterable[str],
    participant_ids: Iterable[int] | None = None,
) -> list[Enrollment]:
    """Enrollments of a group with the given statuses, by name. Asked-for participants who are
    not enrolled (or whose enrollment has another status) raise a DocumentError."""
    wanted = None if participant_ids is None else list(dict.fromkeys(participant_ids))
    stmt = (
        select(Enrollment)
        .join(Participant)
        .where(Enrollment.group_id == group_id)
        .options(selectinload(Enrollment.participant).selectinload(Participant.employer))
        .order_by(Participant.sort_name, Participant.id)
    )
    if wanted is not None:
        stmt = stmt.where(Enrollment.participant_id.in_(wanted))
    enrollments = list(session.scalars(stmt))
    allowed = set(statuses)
    if wanted is not None:
        found = {enrollment.participant_id: enrollment for enrollment in enrollments}
        for participant_id in wanted:
            enrollment = found.get(participant_id)
            if enrollment is None:
                participant = session.get(Participant, participant_id)
                if participant is None:
                    raise NotFoundError("participant", participant_id)
                raise DocumentError(f"{participant.full_name} n'est pas inscrit(e) à ce groupe.")
            if enrollment.status not in allowed:
                raise DocumentError(
                    f"L'inscription de {enrollment.participant.full_name} est "
                    f"{_status_word(enrollment.status)} : pas de document pour ce groupe."
                )
    return [enrollment for enrollment in enrollments if enrollment.status in allowed]


def _status_word(status: str) -> str:
    return {
        EnrollmentStatus.CANCELLED.value: "annulée",
        EnrollmentStatus.TRANSFERRED.value: "transférée",
        EnrollmentStatus.WAITLISTED.value: "en liste d'attente",
    }.get(status, status)


def signin_sheet(
    session: Session,
    group_id: int,
    *,
    blank_rows: int = 0,
    blank_sheet: bool = False,
    days: Iterable[dt.date] = (),
) -> SigninSheet:
    """Sign-in sheet of the registered and confirmed participants; ``blank_sheet`` prints
    only empty rows (``blank_rows``, 15 by default) for walk-ins."""
    if blank_rows < 0 or blank_rows > 200:
        raise DocumentError("Le nombre de lignes vierges doit être compris entre 0 et 200.")
    group = group_info(session, group_id)
    wanted_days = tuple(sorted(set(days)))
    for day in wanted_days:
        if day not in group.dates:
            raise DocumentError(
                f"Le groupe « {group.label} » n'a pas de séance le {day.strftime('%d/%m/%Y')}."
            )
    participants: tuple[ParticipantInfo, ...] = ()
    if blank_sheet:
        blank_rows = blank_rows or 15
    else:
        enrollments = group_enrollments(session, group_id, ACTIVE_STATUSES)
        participants = tuple(participant_info(enrollment) for enrollment in enrollments)
    return SigninSheet(
        identity=get_identity(session),
        group=group,
        participants=participants,
        blank_rows=blank_rows,
        days=wanted_days,
    )


def convocations(
    session: Session,
    group_id: int,
    participant_ids: Iterable[int] | None = None,
    issued_on: dt.date | None = None,
) -> list[Convocation]:
    """One convocation per registered or confirmed participant (or the ones asked for)."""
    group = group_info(session, group_id)
    identity = get_identity(session)
    enrollments = group_enrollments(session, group_id, ACTIVE_STATUSES, participant_ids)
    when = convocation_date(group, issued_on, now(session).date())
    return [
        Convocation(identity, group, participant_info(enrollment), when)
        for enrollment in enrollments
    ]


def convocation_date(group: GroupInfo, issued_on: dt.date | None, today: dt.date) -> dt.date:
    """The date printed on a convocation: never after the group's first day, when it would
    invite someone to a session already under way. A convocation dated today for a group that
    has started is refused too: reprinting one that was sent takes the date it was sent."""
    first = group.dates[0]
    when = issued_on or today
    if when <= first:
        return when
    if issued_on is None:
        raise DocumentError(
            f"Le groupe « {group.label} » a commencé le {short_date(first)} : une convocation "
            "datée d'aujourd'hui n'aurait plus de sens. Pour réimprimer une convocation déjà "
            f"envoyée, indiquez sa date d'envoi (le {short_date(first)} au plus tard)."
        )
    raise DocumentError(
        f"Une convocation ne peut pas être datée du {short_date(when)}, après la première "
        f"journée du groupe « {group.label} » ({short_date(first)})."
    )


def course_sheet(session: Session, course_id: int) -> CourseSheet:
    """Fiche technique: the course, its groups (places and dates) and their trainers."""
    course = get_course(session, course_id)
    groups = session.scalars(
        select(Group)
        .where(Group.course_id == course_id)
        .options(selectinload(Group.days), selectinload(Group.trainers))
        .order_by(Group.first_date, Group.label)
    ).all()
    schedules = tuple(
        GroupSchedule(group.label, group.city, tuple(sorted(group.dates)))
        for group in groups
        if group.status != GroupStatus.CANCELLED.value
    )
    trainers: dict[int, TrainerInfo] = {}
    for group in groups:
        if group.status == GroupStatus.CANCELLED.value:
            continue
        for trainer in group.trainers:
            trainers.setdefault(trainer.id, trainer_info(trainer))
    return CourseSheet(
        identity=get_identity(session),
        course=course_info(course),
        groups=schedules,
        trainers=tuple(trainers.values()),
    )
