"""Numbered documents: issued once, reprinted identically, corrected as new versions.

A first issue numbers the document from the counter of its kind and year (in the issuing
transaction, which takes SQLite's write lock before anything else, so that two programs
issuing at once never share or skip a number) and stores a snapshot of what it prints. A
reprint paints that snapshot: same number, same issue date, same content. When the data
changed since, the reprint says so; ``reissue`` instead cancels the old version and issues a
corrected one under a new number, « Annule et remplace le n° … ».
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from allervers_desktop.clock import now
from allervers_desktop.db.models import (
    Attendance,
    DocumentCounter,
    DocumentState,
    Enrollment,
    EnrollmentStatus,
    IssuedDocument,
)
from allervers_desktop.documents import snapshot
from allervers_desktop.documents.gather import group_enrollments, group_info, participant_info
from allervers_desktop.documents.model import (
    AttendedHalfDay,
    Certificate,
    DocumentError,
    DocumentKind,
    Report,
)
from allervers_desktop.formatting import hours_fr, short_date
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
# Bookkeeping of a version, not its content: two versions print the same when the rest is equal.
NOT_CONTENT = frozenset({"number", "issued_on", "document_id", "replaces_number"})
# What a difference is called, by field (then by field of the group): extend as fields appear.
CHANGE_LABELS = {
    "identity": "identité de l'émetteur (Paramètres)",
    "participant": "participant(e)",
    "half_days": "présences",
    "kind": "type de document",
}
GROUP_CHANGE_LABELS = {
    "course": "formation",
    "half_days": "planning",
    "trainers": "intervenants",
}
LEGACY = "contenu antérieur au journal"


@dataclass(frozen=True)
class ChangedDocument:
    """A valid document whose data changed since it was issued."""

    document_id: int
    number: str
    participant_name: str
    changes: tuple[str, ...]  # French: « heures : 10,5 h → 14 h », « présences »…
    legacy: bool = False  # issued before the register: its content was not kept

    @property
    def line(self) -> str:
        """« MULLER Hélène : ATT-2023-0006 (heures : 10,5 h → 14 h, présences) »."""
        return f"{self.participant_name} : {self.number} ({', '.join(self.changes)})"


def _check_kind(kind: DocumentKind) -> None:
    if not kind.is_certificate:
        raise DocumentError(f"« {kind.label} » n'est pas un document numéroté.")


def _insert_counter(session: Session, kind: str, year: int) -> None:
    """Create the counter row when missing; as a write, it also takes SQLite's write lock."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        session.execute(
            pg_insert(DocumentCounter)
            .values(kind=kind, year=year, last_number=0)
            .on_conflict_do_nothing()
        )
        return
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    session.execute(
        sqlite_insert(DocumentCounter)
        .values(kind=kind, year=year, last_number=0)
        .on_conflict_do_nothing()
    )


def take_write_lock(session: Session, kind: DocumentKind, year: int) -> None:
    """The first statement of an issuing transaction. SQLite starts transactions deferred
    (``db/engine.py`` sends a plain BEGIN): a transaction that read before writing could not
    take the write lock once another program committed, and would fail instead of waiting.
    A write as its first statement makes it wait (busy timeout) like BEGIN IMMEDIATE. Once
    the engine begins every write transaction IMMEDIATE, this is a harmless no-op write."""
    _insert_counter(session, kind.value, year)


def reserve_numbers(
    session: Session, kind: DocumentKind, year: int, count: int
) -> list[tuple[int, str]]:
    """The next ``count`` sequences of (kind, year) with their numbers « ATT-2023-0007 »,
    in one step. The counter moves in the caller's transaction, which must use every number
    reserved: a rollback gives them all back, so no number is ever skipped."""
    if count <= 0:
        return []
    _insert_counter(session, kind.value, year)
    last = session.execute(
        update(DocumentCounter)
        .where(DocumentCounter.kind == kind.value, DocumentCounter.year == year)
        .values(last_number=DocumentCounter.last_number + count)
        .returning(DocumentCounter.last_number)
    ).scalar_one()
    prefix = NUMBER_PREFIXES[kind]
    return [
        (sequence, f"{prefix}-{year}-{sequence:04d}")
        for sequence in range(last - count + 1, last + 1)
    ]


def load_certificate(session: Session, document: IssuedDocument) -> Certificate | None:
    """The certificate as issued (None for a document issued before the register)."""
    if document.content is None:
        return None
    certificate = snapshot.load(session, Certificate, document.content)
    assert isinstance(certificate, Certificate)
    return replace(certificate, document_id=document.id)


def content_changes(
    issued: Certificate, fresh: Certificate, memo: dict[int, object] | None = None
) -> tuple[str, ...]:
    """What differs between an issued certificate and the same one gathered today."""
    before = snapshot.comparable(issued, NOT_CONTENT, memo)
    after = snapshot.comparable(fresh, NOT_CONTENT, memo)
    changes: list[str] = []
    if abs(issued.hours_attended - fresh.hours_attended) > 1e-9:
        changes.append(
            f"heures : {hours_fr(issued.hours_attended)} → {hours_fr(fresh.hours_attended)}"
        )
    for key in sorted(set(before) | set(after)):
        if before.get(key) == after.get(key):
            continue
        if key == "group":
            old, new = before.get(key) or {}, after.get(key) or {}
            for part in sorted(set(old) | set(new)):
                if old.get(part) != new.get(part):
                    label = GROUP_CHANGE_LABELS.get(part, "groupe")
                    if label not in changes:
                        changes.append(label)
        else:
            label = CHANGE_LABELS.get(key, key)
            if label not in changes:
                changes.append(label)
    return tuple(changes)


@dataclass
class _Gathered:
    """A participant's certificate as the data gives it today (no number yet)."""

    enrollment_id: int
    certificate: Certificate


def _gather(
    session: Session,
    kind: DocumentKind,
    group_id: int,
    participant_ids: Iterable[int] | None,
    when: dt.date,
    report: Report,
    *,
    for_reading: bool = False,
) -> list[_Gathered]:
    """Each participant's certificate as today's data gives it.

    ``certificate_eligibility`` decides who may get one: none before the group's last day is
    over (refused), none for whoever attended nothing (listed in the report, or refused when
    asked for by name). ``for_reading`` (comparing issued documents with today's data) skips
    those rules and leaves out only who has no attendance recorded at all."""
    group = group_info(session, group_id)
    identity = get_identity(session)
    enrollments = group_enrollments(session, group_id, CERTIFIED_STATUSES, participant_ids)
    eligibility = certificate_eligibility(session, kind.value, group_id, enrollments)
    if not for_reading and eligibility.group_refusal is not None:
        raise DocumentError(eligibility.group_refusal)
    if not for_reading and participant_ids is not None:
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
    gathered: list[_Gathered] = []
    for enrollment in enrollments:
        participant = participant_info(enrollment)
        cells = records[enrollment.id]
        items = tuple(
            AttendedHalfDay(half, cells.get(half.half_day_id, EMPTY_CELL))
            for half in group.half_days
        )
        name = participant.full_name
        refusal = eligibility.refusals.get(enrollment.id)
        if for_reading:
            if not cells:
                continue
        elif refusal is not None:
            report.skipped.append(refusal)
            continue
        unrecorded = len(items) - len(cells)
        if unrecorded:
            report.warnings.append(
                f"{name} : {plural(unrecorded, 'demi-journée')} sans présence saisie, "
                "comptée(s) comme non suivie(s)."
            )
        certificate = Certificate(
            kind=kind,
            number="",
            identity=identity,
            group=group,
            participant=participant,
            half_days=items,
            issued_on=when,
        )
        gathered.append(_Gathered(enrollment.id, certificate))
    return gathered


def _valid_documents(
    session: Session, kind: DocumentKind, enrollment_ids: Iterable[int]
) -> dict[int, IssuedDocument]:
    return {
        document.enrollment_id: document
        for document in session.scalars(
            select(IssuedDocument).where(
                IssuedDocument.kind == kind.value,
                IssuedDocument.enrollment_id.in_(list(enrollment_ids)),
                IssuedDocument.state == DocumentState.VALID.value,
            )
        )
    }


def _issue(
    session: Session,
    item: _Gathered,
    numbered: tuple[int, str],
    when: dt.date,
    today: dt.date,
    replaces: IssuedDocument | None = None,
) -> Certificate:
    """A new version under a reserved number, its snapshot stored; ``replaces`` is
    cancelled first."""
    kind = item.certificate.kind
    if replaces is not None:
        replaces.state = DocumentState.CANCELLED.value
        replaces.cancelled_at = now(session)
        session.flush()  # one valid version per person and kind, checked by the database
    sequence, number = numbered
    certificate = replace(
        item.certificate,
        number=number,
        issued_on=when,
        replaces_number=replaces.number if replaces is not None else "",
    )
    document = IssuedDocument(
        kind=kind.value,
        number=number,
        year=when.year,
        sequence=sequence,
        enrollment_id=item.enrollment_id,
        issued_on=when,
        backdated=when < today,
        first_issued_at=now(session),
        last_printed_at=now(session),
        print_count=0,
        hours_attended=certificate.hours_attended,
        content=snapshot.save(session, certificate),
        replaces_id=replaces.id if replaces is not None else None,
    )
    session.add(document)
    session.flush()
    return replace(certificate, document_id=document.id)


def _as_issued(document: IssuedDocument, fresh: Certificate) -> Certificate:
    """Today's data under an issued document's number and date (to compare, or to rebuild
    the snapshot of a document issued before the register)."""
    return replace(fresh, number=document.number, issued_on=document.issued_on)


def check_issue_date(issued_on: dt.date | None, today: dt.date | None = None) -> dt.date:
    """The issue date of new versions: today, or an explicit earlier date (backdating)."""
    today = today or dt.date.today()
    when = issued_on or today
    if when > today:
        raise DocumentError(
            f"La date de délivrance ({short_date(when)}) ne peut pas être postérieure à "
            f"aujourd'hui ({short_date(today)})."
        )
    return when


def prepare_certificates(
    session: Session,
    kind: DocumentKind,
    group_id: int,
    participant_ids: Iterable[int] | None = None,
    *,
    issued_on: dt.date | None = None,
    reissue: bool = False,
) -> tuple[list[Certificate], Report]:
    """Certificates of a group: issued the first time, reprinted as issued afterwards.

    Call it at the start of a transaction (it takes the write lock first, see
    ``take_write_lock``); the caller commits. ``certificate_eligibility`` decides who gets
    one (see ``_gather``). ``issued_on`` (today when None, never
    later) is the date of the versions issued now; an earlier date is recorded as
    backdated. A document whose data changed is reprinted as issued, with a warning, unless
    ``reissue``. Prints are counted by ``record_prints`` once the output is written."""
    _check_kind(kind)
    today = now(session).date()
    when = check_issue_date(issued_on, today)
    take_write_lock(session, kind, when.year)
    report = Report()
    gathered = _gather(session, kind, group_id, participant_ids, when, report)
    existing = _valid_documents(session, kind, (item.enrollment_id for item in gathered))
    # Pass 1: what each participant gets. Pass 2 numbers the new versions in one step.
    plan: list[tuple[_Gathered, IssuedDocument | None, Certificate | None, tuple[str, ...]]]
    plan = []
    for item in gathered:
        document = existing.get(item.enrollment_id)
        if document is None:
            plan.append((item, None, None, ()))
            continue
        issued = load_certificate(session, document)
        change = _change_of(session, document, item.certificate, issued)
        plan.append((item, document, issued, change.changes if change is not None else ()))
    fresh_count = sum(1 for _i, document, _c, changes in plan if document is None)
    fresh_count += sum(1 for _i, document, _c, changes in plan if document and changes) * reissue
    numbers = iter(reserve_numbers(session, kind, when.year, fresh_count))
    certificates: list[Certificate] = []
    changed: list[str] = []
    for item, document, issued, changes in plan:
        if document is None:
            certificates.append(_issue(session, item, next(numbers), when, today))
            continue
        name = item.certificate.participant.full_name
        if issued is None and not changes:  # issued before the register, hours unchanged
            fresh = _as_issued(document, item.certificate)
            document.content = snapshot.save(session, fresh)
            issued = replace(fresh, document_id=document.id)
            report.warnings.append(
                f"{name} : {document.number} ({LEGACY}) réimprimé(e) à partir des données "
                "actuelles, enregistrées désormais comme son contenu."
            )
        if changes and reissue:
            certificate = _issue(session, item, next(numbers), when, today, replaces=document)
            certificates.append(certificate)
            report.warnings.append(
                f"{name} : {certificate.number} annule et remplace {document.number} "
                f"({', '.join(changes)})."
            )
            continue
        if changes:
            changed.append(f"{name} : {document.number} ({', '.join(changes)})")
        if issued is None:
            report.skipped.append(
                f"{name} : {document.number} ({LEGACY}) ne peut pas être réimprimé à "
                f"l'identique, les données ont changé ({', '.join(changes)}) : "
                "réémettez une version corrigée."
            )
            continue
        certificates.append(issued)
        if issued_on is not None and issued_on != document.issued_on:
            report.warnings.append(
                f"{name} : {document.number} a été délivré(e) le "
                f"{short_date(document.issued_on)} ; la réimpression garde cette date."
            )
    if changed:
        report.warnings.append(
            "Les données ont changé depuis la délivrance ; réimprimé(s) à l'identique : "
            + " ; ".join(changed)
            + ". Réémettez une version corrigée pour en tenir compte."
        )
    _sheet_warning(session, kind, group_id, certificates, report)
    missing = provider_missing_fields(certificates[0].provider) if certificates else []
    if certificates and missing:
        report.warnings.append(
            "Identité de l'organisme de formation incomplète (" + ", ".join(missing) + ") : "
            "complétez sa fiche (Organismes de formation) ; en attendant, les lignes vides "
            "sont à remplir à la main."
        )
    return certificates, report


def _sheet_warning(
    session: Session,
    kind: DocumentKind,
    group_id: int,
    certificates: list[Certificate],
    report: Report,
) -> None:
    """A certificat de réalisation rests on the signed sign-in sheets: say which are missing."""
    from allervers_desktop.services.signed_sheets import days_without_sheet

    if kind is not DocumentKind.REALISATION or not certificates:
        return
    missing = days_without_sheet(session, group_id)
    if missing:
        days = ", ".join(short_date(day) for day in missing)
        report.warnings.append(
            f"Aucune feuille d'émargement signée n'est jointe pour : {days}. Le certificat de "
            "réalisation doit pouvoir être justifié par elles (Groupes › Présences › "
            "« Joindre la feuille signée… »)."
        )


def changed_documents(
    session: Session,
    kind: DocumentKind,
    group_id: int,
    participant_ids: Iterable[int] | None = None,
) -> list[ChangedDocument]:
    """The valid documents of these participants whose data changed since they were issued
    (what a reprint would ask about). Reads only."""
    _check_kind(kind)
    gathered = _gather(
        session, kind, group_id, participant_ids, now(session).date(), Report(), for_reading=True
    )
    existing = _valid_documents(session, kind, (item.enrollment_id for item in gathered))
    found: list[ChangedDocument] = []
    for item in gathered:
        document = existing.get(item.enrollment_id)
        if document is None:
            continue
        change = _change_of(
            session, document, item.certificate, load_certificate(session, document)
        )
        if change is not None:
            found.append(change)
    return found


def _change_of(
    session: Session,
    document: IssuedDocument,
    gathered: Certificate,
    issued: Certificate | None,
) -> ChangedDocument | None:
    """How the document (``issued``, as loaded; None before the register) differs from
    today's data; None when it does not. Without a snapshot only the hours can be compared."""
    fresh = _as_issued(document, gathered)
    name = gathered.participant.full_name
    if issued is None:
        if abs(document.hours_attended - fresh.hours_attended) <= 1e-9:
            return None
        changes: tuple[str, ...] = (
            f"heures : {hours_fr(document.hours_attended)} → {hours_fr(fresh.hours_attended)}",
        )
        return ChangedDocument(document.id, document.number, name, changes, legacy=True)
    changes = content_changes(
        issued,
        replace(fresh, replaces_number=issued.replaces_number),
        snapshot.session_memo(session),
    )
    if not changes:
        return None
    return ChangedDocument(document.id, document.number, name, changes)


# What the issuer of a certificate must have: (attribute of the provider, French label). The
# attributes are the same on ``TrainingProvider`` and ``ProviderData``; the « Contrôle »
# view and the issuing warning both read this list.
PROVIDER_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "raison sociale"),
    ("legal_representative", "représentant légal"),
    ("siret", "SIRET"),
    ("nda", "numéro de déclaration d'activité"),
    ("address", "adresse"),
    ("city", "ville"),
)


def provider_missing_fields(provider: object) -> list[str]:
    """French labels of what the issuer of a certificate lacks (the provider, never the Opco)."""
    return [
        label
        for name, label in PROVIDER_FIELDS
        if not str(getattr(provider, name, "") or "").strip()
    ]


def record_prints(
    session: Session, document_ids: Iterable[int], when: dt.datetime | None = None
) -> None:
    """Count one more print (PDF written or sent to a printer) of each document."""
    ids = list(document_ids)
    moment = (when or now(session)).replace(microsecond=0)
    for document in session.scalars(select(IssuedDocument).where(IssuedDocument.id.in_(ids))):
        document.print_count += 1
        document.last_printed_at = moment
    session.flush()


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
