"""Historique des imports: list past imports and undo one when nothing later depends on it."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from allervers_desktop.db.models import (
    Attendance,
    ChangeLogEntry,
    Employer,
    Enrollment,
    Group,
    ImportBatch,
    ImportChange,
    IssuedDocument,
    Participant,
)
from allervers_desktop.excel.errors import UndoBlockedError
from allervers_desktop.excel.planning import FIELD_LABELS
from allervers_desktop.excel.progress import Progress, ProgressTicker
from allervers_desktop.excel.writing import (
    EMPLOYER_SNAPSHOT,
    ENROLLMENT_SNAPSHOT,
    SNAPSHOT_FIELDS,
)
from allervers_desktop.formatting import ENROLLMENT_STATUS_LABELS, short_date
from allervers_desktop.services.errors import NotFoundError, ServiceError
from allervers_desktop.services.locks import lock_import_batch
from allervers_desktop.services.participant_merge import LAST_IMPORT, MERGED_FROM

MAX_LISTED_BLOCKERS = 10
CHUNK = 500


@dataclass(frozen=True)
class BatchSummary:
    """One line of « Historique des imports »."""

    id: int
    file_name: str
    sheet_name: str
    imported_at: dt.datetime
    group_label: str
    created: int
    updated: int
    enrolled: int
    waitlisted: int
    unchanged: int
    skipped: int
    status: str  # applied / undone
    undone_at: dt.datetime | None

    @property
    def status_label(self) -> str:
        if self.status == "undone" and self.undone_at is not None:
            return f"Annulé le {short_date(self.undone_at.date())}"
        return "Appliqué"


def list_batches(session: Session) -> list[BatchSummary]:
    """Every import, most recent first."""
    rows = session.execute(
        select(ImportBatch, Group.label)
        .outerjoin(Group, Group.id == ImportBatch.group_id)
        .order_by(ImportBatch.id.desc())
    )
    return [
        BatchSummary(
            id=batch.id,
            file_name=batch.file_name,
            sheet_name=batch.sheet_name,
            imported_at=batch.imported_at,
            group_label=label or "",
            created=batch.created_count,
            updated=batch.updated_count,
            enrolled=batch.enrolled_count,
            waitlisted=batch.waitlisted_count,
            unchanged=batch.unchanged_count,
            skipped=batch.skipped_count,
            status=batch.status,
            undone_at=batch.undone_at,
        )
        for batch, label in rows
    ]


def batch_report(session: Session, batch_id: int) -> dict[str, Any]:
    """The JSON report stored with an import (what the command line printed)."""
    batch = _batch(session, batch_id)
    return dict(json.loads(batch.report)) if batch.report else {}


@dataclass
class UndoCheck:
    """Whether an import can be undone, and what blocks it (French sentences)."""

    batch_id: int
    blockers: list[str] = field(default_factory=list)
    removed_participants: int = 0
    restored_participants: int = 0
    removed_enrollments: int = 0
    removed_employers: int = 0

    @property
    def allowed(self) -> bool:
        return not self.blockers

    def done_message(self) -> str:
        return (
            f"Import n° {self.batch_id} annulé : {self.removed_participants} participant(s) et "
            f"{self.removed_enrollments} inscription(s) supprimés, "
            f"{self.restored_participants} fiche(s) rétablie(s)."
        )

    def message(self) -> str:
        if self.allowed:
            return (
                f"L'annulation de l'import n° {self.batch_id} supprimera "
                f"{self.removed_participants} participant(s) et {self.removed_enrollments} "
                f"inscription(s), et rétablira {self.restored_participants} fiche(s)."
            )
        shown = self.blockers[:MAX_LISTED_BLOCKERS]
        more = len(self.blockers) - len(shown)
        lines = [f"L'import n° {self.batch_id} ne peut pas être annulé :", *shown]
        if more:
            lines.append(f"… et {more} autre(s) modification(s) postérieure(s).")
        return "\n".join(lines)


@dataclass
class _Changes:
    created: dict[str, dict[int, dict[str, Any]]]
    updated: dict[int, tuple[dict[str, Any], dict[str, Any]]]


def _batch(session: Session, batch_id: int) -> ImportBatch:
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        raise NotFoundError("import", batch_id)
    return batch


SNAPSHOTS = {
    "participant": SNAPSHOT_FIELDS,
    "enrollment": ENROLLMENT_SNAPSHOT,
    "employer": EMPLOYER_SNAPSHOT,
}


def _load_changes(session: Session, batch_id: int) -> _Changes:
    """What the import created (id -> values written) and updated (id -> before, after)."""
    created: dict[str, dict[int, dict[str, Any]]] = defaultdict(dict)
    updated: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}
    query = select(
        ImportChange.entity,
        ImportChange.entity_id,
        ImportChange.entity_count,
        ImportChange.action,
        ImportChange.previous_values,
        ImportChange.new_values,
    ).where(ImportChange.batch_id == batch_id)
    for entity, first_id, count, action, previous, new in session.execute(query):
        if action == "created":
            fields = SNAPSHOTS[entity]
            written = json.loads(new) if new else [[]] * count
            for offset, values in enumerate(written[:count]):
                created[entity][first_id + offset] = dict(zip(fields, values, strict=False))
        elif entity == "participant":
            before = json.loads(previous) if previous else {}
            updated[first_id] = (before, json.loads(new) if new else {})
    return _Changes(created, updated)


def _chunked(ids: list[int]) -> list[list[int]]:
    return [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]


def _participant_values(participant: Participant) -> dict[str, Any]:
    return {
        "civility": participant.civility,
        "last_name": participant.last_name,
        "first_name": participant.first_name,
        "email": participant.email,
        "phone": participant.phone,
        "job_title": participant.job_title,
        "notes": participant.notes,
        "employer_id": participant.employer_id,
    }


def check_undo(session: Session, batch_id: int) -> UndoCheck:
    """What undoing the import would remove and restore, or what later change prevents it."""
    batch = _batch(session, batch_id)
    check = UndoCheck(batch_id)
    if batch.status == "undone":
        check.blockers.append("Cet import a déjà été annulé.")
        return check
    if batch.details_purged_at is not None:
        check.blockers.append(
            f"Le détail de cet import a été effacé le {short_date(batch.details_purged_at.date())}"
            " (durée de conservation des données) : il ne peut plus être annulé."
        )
        return check
    changes = _load_changes(session, batch_id)
    _check_erased(session, changes, check)
    _check_merged(session, batch, changes, check)
    _check_later_batches(session, batch, changes, check)
    _check_enrollments(session, changes, check)
    _check_participants(session, changes, check)
    _check_employers(session, changes, check)
    return check


def _check_erased(session: Session, changes: _Changes, check: UndoCheck) -> None:
    """Undo would delete or restore personal data that was erased (RGPD): refuse it."""
    ids = [*changes.created["participant"], *changes.updated]
    for part in _chunked(ids):
        erased = session.execute(
            select(Participant.id, Participant.contact_erased_at)
            .where(Participant.id.in_(part), Participant.contact_erased_at.is_not(None))
            .order_by(Participant.id)
        )
        for participant_id, when in erased:
            day = short_date(when.date()) if when is not None else ""
            check.blockers.append(
                f"Les données personnelles du participant n° {participant_id} ont été effacées "
                f"le {day} (RGPD) : l'import ne peut plus être annulé."
            )


def _check_merged(
    session: Session, batch: ImportBatch, changes: _Changes, check: UndoCheck
) -> None:
    """A participant of the import took in another record since (« Fusionner »): undo would
    delete or restore a record that now carries the other one's history; refuse it."""
    ids = [*changes.created["participant"], *changes.updated]
    for part in _chunked(ids):
        merges = session.execute(
            select(ChangeLogEntry.record_id, ChangeLogEntry.changed_at, ChangeLogEntry.details)
            .where(
                ChangeLogEntry.table_name == Participant.__tablename__,
                ChangeLogEntry.record_id.in_(part),
                ChangeLogEntry.action == "update",
                ChangeLogEntry.details.like(f'%"{MERGED_FROM}"%'),
            )
            .order_by(ChangeLogEntry.id)
        )
        for participant_id, when, details in merges:
            last_import = json.loads(details).get(LAST_IMPORT, [0])[0]
            if batch.id <= last_import:
                check.blockers.append(
                    f"Le participant n° {participant_id} a été fusionné avec une autre fiche le "
                    f"{short_date(when.date())} : l'import ne peut plus être annulé."
                )


def _check_later_batches(
    session: Session, batch: ImportBatch, changes: _Changes, check: UndoCheck
) -> None:
    touched = {
        ("participant", pid) for pid in [*changes.created["participant"], *changes.updated]
    } | {("enrollment", eid) for eid in changes.created["enrollment"]}
    later = session.execute(
        select(
            ImportBatch.id,
            ImportChange.entity,
            ImportChange.entity_id,
            ImportChange.entity_count,
        )
        .join(ImportChange, ImportChange.batch_id == ImportBatch.id)
        .where(ImportBatch.id > batch.id, ImportBatch.status == "applied")
    )
    blocking = sorted(
        {
            other
            for other, entity, first_id, count in later
            if any((entity, first_id + offset) in touched for offset in range(count))
        }
    )
    for other in blocking:
        check.blockers.append(
            f"L'import n° {other}, plus récent, a modifié les mêmes participants : "
            "annulez-le d'abord."
        )


def _check_enrollments(session: Session, changes: _Changes, check: UndoCheck) -> None:
    created = changes.created["enrollment"]
    ids = list(created)
    attended: set[int] = set()
    documented: set[int] = set()
    for part in _chunked(ids):
        attended |= set(
            session.scalars(
                select(Attendance.enrollment_id).where(Attendance.enrollment_id.in_(part))
            )
        )
        documented |= set(
            session.scalars(
                select(IssuedDocument.enrollment_id).where(IssuedDocument.enrollment_id.in_(part))
            )
        )
    for part in _chunked(ids):
        enrollments = session.scalars(
            select(Enrollment)
            .where(Enrollment.id.in_(part))
            .options(selectinload(Enrollment.participant), selectinload(Enrollment.group))
        )
        for enrollment in enrollments:
            check.removed_enrollments += 1
            who = f"{enrollment.participant.full_name} ({enrollment.group.label})"
            if enrollment.id in attended:
                check.blockers.append(f"Des présences ont été saisies pour {who}.")
            if enrollment.id in documented:
                check.blockers.append(f"Une attestation a été délivrée à {who}.")
            recorded = created[enrollment.id].get("status")
            if recorded is not None and enrollment.status != recorded:
                label = ENROLLMENT_STATUS_LABELS.get(enrollment.status, enrollment.status)
                check.blockers.append(
                    f"L'inscription de {who} a changé de statut depuis l'import (« {label} »)."
                )


def _check_participants(session: Session, changes: _Changes, check: UndoCheck) -> None:
    created = changes.created["participant"]
    own_enrollments = set(changes.created["enrollment"])
    for part in _chunked(list(created)):
        others = session.execute(
            select(Enrollment.participant_id, Enrollment.id, Group.label)
            .join(Group, Group.id == Enrollment.group_id)
            .where(Enrollment.participant_id.in_(part))
        )
        foreign: dict[int, list[str]] = defaultdict(list)
        for participant_id, enrollment_id, label in others:
            if enrollment_id not in own_enrollments:
                foreign[participant_id].append(label)
        for participant in session.scalars(select(Participant).where(Participant.id.in_(part))):
            check.removed_participants += 1
            name = participant.full_name
            if participant.id in foreign:
                groups = ", ".join(sorted(foreign[participant.id]))
                check.blockers.append(f"{name} a été inscrit(e) depuis l'import ({groups}).")
            edited = _edited_fields(_participant_values(participant), created[participant.id])
            if edited:
                check.blockers.append(
                    f"La fiche de {name} a été modifiée depuis l'import ({edited})."
                )
    for part in _chunked(list(changes.updated)):
        for participant in session.scalars(select(Participant).where(Participant.id.in_(part))):
            check.restored_participants += 1
            _previous, new = changes.updated[participant.id]
            edited = _edited_fields(_participant_values(participant), new)
            if edited:
                check.blockers.append(
                    f"La fiche de {participant.full_name} a été modifiée depuis l'import "
                    f"({edited})."
                )


def _edited_fields(current: dict[str, Any], written: dict[str, Any]) -> str:
    names = [name for name, value in written.items() if current.get(name) != value]
    return ", ".join(FIELD_LABELS.get(name, name) for name in names)


def _check_employers(session: Session, changes: _Changes, check: UndoCheck) -> None:
    created = changes.created["employer"]
    removed = set(changes.created["participant"])
    moved_back = {
        pid for pid, (previous, _new) in changes.updated.items() if "employer_id" in previous
    }
    leaving = removed | moved_back
    for part in _chunked(list(created)):
        users = session.execute(
            select(Participant.employer_id, Participant.id).where(Participant.employer_id.in_(part))
        )
        still: dict[int, int] = defaultdict(int)
        for employer_id, participant_id in users:
            if employer_id is not None and participant_id not in leaving:
                still[employer_id] += 1
        for employer in session.scalars(select(Employer).where(Employer.id.in_(part))):
            check.removed_employers += 1
            if still[employer.id]:
                check.blockers.append(
                    f"L'établissement « {employer.display_name} », créé par l'import, est "
                    f"maintenant celui de {still[employer.id]} autre(s) participant(s)."
                )


def undo_batch(session: Session, batch_id: int, progress: Progress | None = None) -> UndoCheck:
    """Remove what the import created and restore what it updated, in the caller's transaction.

    Raises UndoBlockedError (French message listing the blockers) when later changes depend
    on the import; then nothing is changed. The import's row is locked first, so a second
    undo of the same import (from another program) waits, then finds it undone.
    """
    lock_import_batch(session, batch_id)
    session.flush()
    session.expire_all()  # what the lock waited for may have changed the rows already read
    check = check_undo(session, batch_id)
    if not check.allowed:
        raise UndoBlockedError(check.message())
    changes = _load_changes(session, batch_id)
    total = len(changes.created["enrollment"]) + len(changes.updated)
    total += len(changes.created["participant"]) + len(changes.created["employer"])
    ticker = ProgressTicker(
        progress, total, cancelled_message="Annulation interrompue : rien n'a été modifié."
    )
    for part in _chunked(list(changes.created["enrollment"])):
        session.execute(delete(Enrollment).where(Enrollment.id.in_(part)))
        ticker.advance(len(part))
    for part in _chunked(list(changes.updated)):
        for participant in session.scalars(select(Participant).where(Participant.id.in_(part))):
            previous, _new = changes.updated[participant.id]
            _restore(session, participant, previous)
        session.flush()
        ticker.advance(len(part))
    for part in _chunked(list(changes.created["participant"])):
        session.execute(delete(Participant).where(Participant.id.in_(part)))
        ticker.advance(len(part))
    for part in _chunked(list(changes.created["employer"])):
        session.execute(delete(Employer).where(Employer.id.in_(part)))
        ticker.advance(len(part))
    batch = _batch(session, batch_id)
    batch.status = "undone"
    batch.undone_at = dt.datetime.now().replace(microsecond=0)
    try:
        session.flush()
    except Exception as exc:
        raise ServiceError(
            f"L'import n° {batch_id} n'a pas pu être annulé ({exc.__class__.__name__}) : "
            "rien n'a été modifié."
        ) from exc
    session.expire_all()
    ticker.finish()
    return check


def _restore(session: Session, participant: Participant, previous: dict[str, Any]) -> None:
    for name, value in previous.items():
        if name == "employer_id":
            participant.employer = session.get(Employer, value) if value is not None else None
        else:
            setattr(participant, name, value)
