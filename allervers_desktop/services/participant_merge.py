"""« Fusionner » two participants: one record survives, everything of the other follows it.

``merge_participants(session, keep_id, other_id, take)`` runs in the caller's transaction:

1. Both rows are locked (``SELECT … FOR UPDATE`` in id order on PostgreSQL; SQLite's write
   transaction already holds the only write lock), then the rows of all their groups, so a
   concurrent enrollment, transfer or second merge waits and then sees the result.
2. Refusals come before any write: the same record twice, an anonymised record (RGPD), both
   in one group with attendance on the same half-day (« Fusion impossible : … »), or both with
   a valid document of the same kind in one group (the register holds one per person).
3. The kept record takes, for each field named in ``take`` with « other », the other's value
   (an e-mail is unique: the other's is cleared first).
4. Enrollments follow: the other's enrollment moves to the kept record, except in a group
   where both are enrolled; there one enrollment is kept — the one holding the better place
   (confirmed, registered, waiting, transferred, cancelled), the kept record's when equal —
   and receives the other's attendance, issued documents, assessment (when it has none) and
   the links of transfers pointing to it; the other enrollment is then deleted.
5. Import history follows: the other's rows (« created » blocks are split around its id)
   now name the kept record; the deleted enrollment is taken out of its import's block. The
   merge is written in the Historique of the kept record (``merged_from``, with the last
   import's id), and ``excel/history.py`` refuses to undo an import made before a merge of
   its participants: the record it would delete or restore now carries another one's
   history. Imports made afterwards are undone by their usual rules.
6. The other record is deleted. The Historique (``change_log``) and the RGPD log keep its
   number: they record the past and are never rewritten.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from allervers_desktop.db.change_tracking import CHANGE_LOG, USER_KEY, os_user
from allervers_desktop.db.models import (
    Attendance,
    DocumentState,
    Employer,
    Enrollment,
    EnrollmentStatus,
    GroupDay,
    HalfDay,
    ImportBatch,
    ImportChange,
    IssuedDocument,
    Participant,
)
from allervers_desktop.formatting import PERIOD_LABELS, short_date
from allervers_desktop.services.errors import NotFoundError, ServiceError
from allervers_desktop.services.locks import lock_groups
from allervers_desktop.text import search_key

# Historique of the kept record: « merged_from » [other id, None], and « last_import » [the
# last import's id then, None]: the imports the merge came after (ids, not clocks, decide).
MERGED_FROM = "merged_from"
LAST_IMPORT = "last_import"
OTHER, KEEP = "other", "keep"
# field -> French label; the order of the form and of ``--help``.
MERGE_FIELDS: dict[str, str] = {
    "civility": "Civilité",
    "last_name": "Nom",
    "first_name": "Prénom",
    "email": "E-mail",
    "phone": "Téléphone",
    "job_title": "Fonction",
    "employer_id": "Établissement",
    "notes": "Notes",
}
_ALIASES = {"employer": "employer_id", "courriel": "email", "employeur": "employer_id"}
# The better place first: which enrollment survives in a group where both are enrolled.
_PLACE_ORDER = [
    EnrollmentStatus.CONFIRMED.value,
    EnrollmentStatus.REGISTERED.value,
    EnrollmentStatus.WAITLISTED.value,
    EnrollmentStatus.TRANSFERRED.value,
    EnrollmentStatus.CANCELLED.value,
]


class MergeError(ServiceError):
    """The two participants cannot be merged (French reason)."""


@dataclass
class MergeResult:
    """What the merge did, for the window and the command line."""

    kept_id: int
    removed_id: int
    name: str
    fields_taken: list[str] = field(default_factory=list)  # French labels
    moved_enrollments: int = 0
    joined_groups: list[str] = field(default_factory=list)  # both enrolled: one kept
    moved_attendance: int = 0
    moved_documents: int = 0


def field_name(given: str) -> str:
    """The field for a French label or an English name (« Prénom », « prenom », « first_name »)."""
    key = search_key(given).replace(" ", "_").replace("-", "")
    for name, label in MERGE_FIELDS.items():
        if key in (name.replace("_", ""), name, search_key(label).replace("-", "")):
            return name
    if key in _ALIASES:
        return _ALIASES[key]
    raise MergeError(f"Champ inconnu : « {given} ». Champs possibles : {field_help()}.")


def field_help() -> str:
    """« nom (last_name), prénom (first_name), … »."""
    return ", ".join(f"{label.lower()} ({name})" for name, label in MERGE_FIELDS.items())


@dataclass(frozen=True)
class Difference:
    """A field whose values differ, as the merge form shows it."""

    field: str
    label: str
    kept: str
    other: str


def differences(session: Session, keep_id: int, other_id: int) -> list[Difference]:
    """The fields where the two records differ, values as shown."""
    keep, other = _get(session, keep_id), _get(session, other_id)
    return [
        Difference(name, label, _shown(session, name, keep), _shown(session, name, other))
        for name, label in MERGE_FIELDS.items()
        if getattr(keep, name) != getattr(other, name)
    ]


def _shown(session: Session, name: str, participant: Participant) -> str:
    value = getattr(participant, name)
    if name == "employer_id":
        employer = session.get(Employer, value) if value is not None else None
        return employer.display_name if employer is not None else ""
    return "" if value is None else str(value)


def _get(session: Session, participant_id: int) -> Participant:
    participant = session.get(Participant, participant_id)
    if participant is None:
        raise NotFoundError("participant", participant_id)
    return participant


def _choices(take: Mapping[str, str] | None) -> list[str]:
    taken = []
    for given, side in (take or {}).items():
        name = field_name(given)
        if side not in (OTHER, KEEP):
            raise MergeError(
                f"Pour « {given} », choisissez « other » (la valeur de l'autre fiche) ou "
                f"« keep » (garder), pas « {side} »."
            )
        if side == OTHER and name not in taken:
            taken.append(name)
    return taken


def merge_participants(
    session: Session, keep_id: int, other_id: int, take: Mapping[str, str] | None = None
) -> MergeResult:
    """Merge ``other_id`` into ``keep_id`` (see the module's docstring)."""
    if keep_id == other_id:
        raise MergeError("Choisissez deux fiches différentes à fusionner.")
    taken = _choices(take)
    session.flush()
    locked = session.scalars(
        select(Participant)
        .where(Participant.id.in_([keep_id, other_id]))
        .order_by(Participant.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    found = {p.id: p for p in locked}
    keep, other = found.get(keep_id), found.get(other_id)
    if keep is None or other is None:
        raise NotFoundError("participant", keep_id if keep is None else other_id)
    for person in (keep, other):
        if person.anonymised_at is not None:
            raise MergeError(
                f"La fiche n° {person.id} a été anonymisée (RGPD) : elle ne peut pas être "
                "fusionnée."
            )
    enrollments = list(
        session.scalars(
            select(Enrollment)
            .where(Enrollment.participant_id.in_([keep_id, other_id]))
            .order_by(Enrollment.id)
            .execution_options(populate_existing=True)
        )
    )
    lock_groups(session, {e.group_id for e in enrollments})
    kept_by_group = {e.group_id: e for e in enrollments if e.participant_id == keep_id}
    pairs = [
        (kept_by_group[e.group_id], e)
        for e in enrollments
        if e.participant_id == other_id and e.group_id in kept_by_group
    ]
    for mine, theirs in pairs:
        _check_pair(session, mine, theirs, keep, other)

    result = MergeResult(keep_id, other_id, keep.full_name)
    _take_fields(session, keep, other, taken)
    result.fields_taken = [MERGE_FIELDS[name] for name in taken]
    paired = {theirs.id for _mine, theirs in pairs}
    for enrollment in enrollments:
        if enrollment.participant_id == other_id and enrollment.id not in paired:
            enrollment.participant_id = keep_id
            result.moved_enrollments += 1
    session.flush()
    for mine, theirs in pairs:
        _join(session, mine, theirs, result)
    _follow_in_import_history(session, "participant", other_id, keep_id)
    session.expire(other, ["enrollments"])
    session.delete(other)
    session.flush()
    _record(session, keep_id, other_id)
    session.expire_all()
    result.name = _get(session, keep_id).full_name
    return result


def _check_pair(
    session: Session, mine: Enrollment, theirs: Enrollment, keep: Participant, other: Participant
) -> None:
    label = mine.group.label
    both = session.execute(
        select(GroupDay.date, HalfDay.period)
        .select_from(Attendance)
        .join(HalfDay, HalfDay.id == Attendance.half_day_id)
        .join(GroupDay, GroupDay.id == HalfDay.group_day_id)
        .where(Attendance.enrollment_id == mine.id)
        .where(
            Attendance.half_day_id.in_(
                select(Attendance.half_day_id).where(Attendance.enrollment_id == theirs.id)
            )
        )
        .order_by(GroupDay.date, HalfDay.period)
    ).all()
    if both:
        when = ", ".join(f"{short_date(day)} {PERIOD_LABELS[period]}" for day, period in both)
        raise MergeError(
            f"Fusion impossible : {keep.full_name} (n° {keep.id}) et {other.full_name} "
            f"(n° {other.id}) ont tous deux une présence saisie dans le groupe « {label} » "
            f"pour la même demi-journée ({when}). Corrigez d'abord les présences de ce groupe."
        )
    kinds = set(
        session.scalars(
            select(IssuedDocument.kind).where(
                IssuedDocument.enrollment_id == mine.id,
                IssuedDocument.state == DocumentState.VALID.value,
            )
        )
    )
    clash = session.scalar(
        select(IssuedDocument.number).where(
            IssuedDocument.enrollment_id == theirs.id,
            IssuedDocument.state == DocumentState.VALID.value,
            IssuedDocument.kind.in_(list(kinds)),
        )
    )
    if clash is not None:
        raise MergeError(
            f"Fusion impossible : chacune des deux fiches a un document valide du même type dans "
            f"le groupe « {label} » (dont {clash}). Annulez et remplacez d'abord l'un d'eux."
        )


def _take_fields(session: Session, keep: Participant, other: Participant, taken: list[str]) -> None:
    values: dict[str, Any] = {name: getattr(other, name) for name in taken}
    if "email" in values and values["email"] != keep.email:
        other.email = None  # unique: free it before the kept record takes it
        session.flush()
    for name, value in values.items():
        if name == "employer_id":
            keep.employer = session.get(Employer, value) if value is not None else None
        else:
            setattr(keep, name, value)
    session.flush()


def _join(session: Session, mine: Enrollment, theirs: Enrollment, result: MergeResult) -> None:
    """Keep one enrollment of a group where both were enrolled; the other's records follow."""
    ordered = sorted([mine, theirs], key=lambda e: (_PLACE_ORDER.index(e.status), e is theirs))
    kept, gone = ordered
    result.joined_groups.append(kept.group.label)
    moved = session.execute(
        update(Attendance).where(Attendance.enrollment_id == gone.id).values(enrollment_id=kept.id)
    )
    result.moved_attendance += int(moved.rowcount or 0)  # type: ignore[attr-defined]
    documents = session.execute(
        update(IssuedDocument)
        .where(IssuedDocument.enrollment_id == gone.id)
        .values(enrollment_id=kept.id)
    )
    result.moved_documents += int(documents.rowcount or 0)  # type: ignore[attr-defined]
    session.execute(
        update(Enrollment)
        .where(Enrollment.transferred_to_id == gone.id)
        .values(transferred_to_id=kept.id)
    )
    if kept.assessment_result is None:
        kept.assessment_result = gone.assessment_result
    if kept.transferred_to_id is None and gone.transferred_to_id not in (None, kept.id):
        kept.transferred_to_id = gone.transferred_to_id
    _follow_in_import_history(session, "enrollment", gone.id, None)
    keep_id = mine.participant_id
    session.expire(kept, ["attendances"])
    session.expire(gone, ["attendances"])
    session.delete(gone)
    session.flush()
    if kept is theirs:  # once the kept record's own enrollment of the group is gone
        theirs.participant_id = keep_id
        session.flush()


def _follow_in_import_history(
    session: Session, entity: str, old_id: int, new_id: int | None
) -> None:
    """Make the import history name ``new_id`` where it named ``old_id`` (None: forget it),
    splitting a « created » block of consecutive ids around it."""
    rows = session.scalars(
        select(ImportChange).where(
            ImportChange.entity == entity,
            ImportChange.entity_id <= old_id,
            ImportChange.entity_id + ImportChange.entity_count > old_id,
        )
    ).all()
    for row in rows:
        offset = old_id - row.entity_id
        written = json.loads(row.new_values) if row.new_values else None
        items = written if isinstance(written, list) and row.action == "created" else None
        parts: list[tuple[int, int, str]] = []  # first id, count, new_values
        if offset:
            parts.append((row.entity_id, offset, _slice(items, 0, offset)))
        if new_id is not None:
            single = _slice(items, offset, offset + 1) if items is not None else row.new_values
            parts.append((new_id, 1, single))
        rest = row.entity_count - offset - 1
        if rest:
            parts.append((old_id + 1, rest, _slice(items, offset + 1, row.entity_count)))
        for first, count, values in parts:
            session.add(
                ImportChange(
                    batch_id=row.batch_id,
                    entity=row.entity,
                    entity_id=first,
                    entity_count=count,
                    action=row.action,
                    previous_values=row.previous_values,
                    new_values=values,
                )
            )
        session.delete(row)
    session.flush()


def _slice(items: list[Any] | None, start: int, end: int) -> str:
    if items is None:
        return ""
    return json.dumps(items[start:end], ensure_ascii=False)


def _record(session: Session, keep_id: int, other_id: int) -> None:
    last_import = session.scalar(select(func.max(ImportBatch.id))) or 0
    clock = session.info.get("clock")
    moment = clock.now() if clock is not None else dt.datetime.now()
    session.execute(
        insert(CHANGE_LOG),
        [
            {
                "table_name": Participant.__tablename__,
                "record_id": keep_id,
                "action": "update",
                "changed_at": moment.replace(microsecond=0),
                "changed_by": str(session.info.get(USER_KEY) or os_user())[:100],
                "details": json.dumps(
                    {MERGED_FROM: [other_id, None], LAST_IMPORT: [last_import, None]}
                ),
            }
        ],
    )
