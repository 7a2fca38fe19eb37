"""Certificates to issue: who gets one, their numbers (kept on reprint) and the issue log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from allervers_desktop.clock import now
from allervers_desktop.db.models import (
    Attendance,
    Course,
    Enrollment,
    EnrollmentStatus,
    Group,
    IssuedDocument,
    Participant,
)
from allervers_desktop.documents.gather import group_enrollments, group_info, participant_info
from allervers_desktop.documents.model import (
    AttendedHalfDay,
    Certificate,
    DocumentError,
    DocumentKind,
    Report,
)
from allervers_desktop.formatting import hours_fr
from allervers_desktop.services.attendance import EMPTY_CELL, CellState
from allervers_desktop.services.deletion import plural
from allervers_desktop.services.eligibility import certificate_eligibility
from allervers_desktop.services.settings import get_identity

NUMBER_PREFIXES = {DocumentKind.ATTESTATION: "ATT", DocumentKind.REALISATION: "CR"}
CERTIFIED_STATUSES = (
    EnrollmentStatus.REGISTERED.value,
    EnrollmentStatus.CONFIRMED.value,
    EnrollmentStatus.WAITLISTED.value,
)


@dataclass(frozen=True)
class IssuedEntry:
    """One line of the certificate log (journal des attestations)."""

    document_id: int
    kind: DocumentKind
    number: str
    participant_name: str
    group_label: str
    course_title: str
    first_issued_at: dt.datetime
    last_printed_at: dt.datetime
    print_count: int
    hours_attended: float


def _check_kind(kind: DocumentKind) -> None:
    if not kind.is_certificate:
        raise DocumentError(f"« {kind.label} » n'est pas un document numéroté.")


def _next_numbers(session: Session, kind: DocumentKind, year: int) -> Iterable[str]:
    """Numbers « ATT-2023-0001 », « ATT-2023-0002 »… after the last one of that year."""
    prefix = f"{NUMBER_PREFIXES[kind]}-{year}-"
    taken = session.scalars(
        select(IssuedDocument.number).where(IssuedDocument.number.startswith(prefix))
    ).all()
    last = max((int(number.removeprefix(prefix)) for number in taken if number), default=0)
    sequence = last
    while True:
        sequence += 1
        yield f"{prefix}{sequence:04d}"


def prepare_certificates(
    session: Session,
    kind: DocumentKind,
    group_id: int,
    participant_ids: Iterable[int] | None = None,
    *,
    issued_on: dt.date | None = None,
) -> tuple[list[Certificate], Report]:
    """Certificates of a group, numbered and recorded (a participant keeps their number).

    ``certificate_eligibility`` decides: none before the group's last day is over (refused),
    and none for whoever attended nothing (listed in the report, or refused when asked for
    by name). Prints are counted separately, by ``record_prints`` once the output is written."""
    _check_kind(kind)
    group = group_info(session, group_id)
    identity = get_identity(session)
    moment = now(session)
    when = issued_on or moment.date()
    report = Report()
    enrollments = group_enrollments(session, group_id, CERTIFIED_STATUSES, participant_ids)
    eligibility = certificate_eligibility(session, kind.value, group_id, enrollments)
    if eligibility.group_refusal is not None:
        raise DocumentError(eligibility.group_refusal)
    if participant_ids is not None:
        for enrollment in enrollments:
            refusal = eligibility.refusals.get(enrollment.id)
            if refusal is not None:
                raise DocumentError(refusal)
    records: dict[int, dict[int, CellState]] = {enrollment.id: {} for enrollment in enrollments}
    for record in session.scalars(
        select(Attendance).where(Attendance.enrollment_id.in_(list(records)))
    ):
        records[record.enrollment_id][record.half_day_id] = CellState(
            record.status, record.reason, record.arrived_at, record.left_at
        )
    existing = {
        document.enrollment_id: document
        for document in session.scalars(
            select(IssuedDocument).where(
                IssuedDocument.kind == kind.value,
                IssuedDocument.enrollment_id.in_(list(records)),
            )
        )
    }
    numbers = iter(_next_numbers(session, kind, when.year))
    certificates: list[Certificate] = []
    for enrollment in enrollments:
        participant = participant_info(enrollment)
        cells = records[enrollment.id]
        items = tuple(
            AttendedHalfDay(half, cells.get(half.half_day_id, EMPTY_CELL))
            for half in group.half_days
        )
        name = participant.full_name
        refusal = eligibility.refusals.get(enrollment.id)
        if refusal is not None:
            report.skipped.append(refusal)
            continue
        unrecorded = len(items) - len(cells)
        if unrecorded:
            report.warnings.append(
                f"{name} : {plural(unrecorded, 'demi-journée')} sans présence saisie, "
                "comptée(s) comme non suivie(s)."
            )
        hours = eligibility.minutes[enrollment.id] / 60
        document = existing.get(enrollment.id)
        if document is None:
            document = IssuedDocument(
                kind=kind.value,
                number=next(numbers),
                enrollment_id=enrollment.id,
                first_issued_at=moment,
                last_printed_at=moment,
                print_count=0,
                hours_attended=hours,
            )
            session.add(document)
        elif abs(document.hours_attended - hours) > 1e-9:
            report.warnings.append(
                f"{name} : {document.number} réimprimé(e) avec {hours_fr(hours)} "
                f"au lieu de {hours_fr(document.hours_attended)}."
            )
            document.hours_attended = hours
        session.flush()
        certificates.append(
            Certificate(
                kind=kind,
                number=document.number,
                identity=identity,
                group=group,
                participant=participant,
                half_days=items,
                issued_on=when,
                document_id=document.id,
            )
        )
    missing = identity.missing_fields()
    if certificates and missing:
        report.warnings.append(
            "Paramètres incomplets (" + ", ".join(missing) + ") : complétez « Paramètres » "
            "pour que le document soit signé en bonne et due forme."
        )
    return certificates, report


def record_prints(
    session: Session, document_ids: Iterable[int], when: dt.datetime | None = None
) -> None:
    """Count one more print (PDF written or sent to a printer) of each document."""
    ids = list(document_ids)
    moment = (when or dt.datetime.now()).replace(microsecond=0)
    for document in session.scalars(select(IssuedDocument).where(IssuedDocument.id.in_(ids))):
        document.print_count += 1
        document.last_printed_at = moment
    session.flush()


def certificate_log(
    session: Session, group_id: int | None = None, kind: DocumentKind | None = None
) -> list[IssuedEntry]:
    """Every certificate issued, in number order: what was issued to whom, and when."""
    stmt = (
        select(IssuedDocument, Participant, Group.label, Course.title)
        .join(Enrollment, IssuedDocument.enrollment_id == Enrollment.id)
        .join(Participant, Enrollment.participant_id == Participant.id)
        .join(Group, Enrollment.group_id == Group.id)
        .join(Course, Group.course_id == Course.id)
        .order_by(IssuedDocument.first_issued_at, IssuedDocument.number)
    )
    if group_id is not None:
        stmt = stmt.where(Enrollment.group_id == group_id)
    if kind is not None:
        stmt = stmt.where(IssuedDocument.kind == kind.value)
    return [
        IssuedEntry(
            document_id=document.id,
            kind=DocumentKind(document.kind),
            number=document.number,
            participant_name=participant.full_name,
            group_label=group_label,
            course_title=course_title,
            first_issued_at=document.first_issued_at,
            last_printed_at=document.last_printed_at,
            print_count=document.print_count,
            hours_attended=document.hours_attended,
        )
        for document, participant, group_label, course_title in session.execute(stmt)
    ]


def issued_numbers(session: Session, enrollment_ids: Iterable[int]) -> list[str]:
    """Numbers of the certificates issued for these enrollments (a deletion must be refused
    while there is any: the log must keep who received what)."""
    ids = list(enrollment_ids)
    return list(
        session.scalars(
            select(IssuedDocument.number)
            .where(IssuedDocument.enrollment_id.in_(ids))
            .order_by(IssuedDocument.number)
        )
    )


def issued_count(session: Session, group_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(IssuedDocument)
            .join(Enrollment, IssuedDocument.enrollment_id == Enrollment.id)
            .where(Enrollment.group_id == group_id)
        )
        or 0
    )
