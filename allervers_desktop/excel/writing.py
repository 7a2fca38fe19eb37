"""Write an import plan in the caller's transaction, recording each change for undo."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar, cast

from sqlalchemy import Table, func, select, text
from sqlalchemy.orm import Session, selectinload

from allervers_desktop.db.models import (
    Employer,
    Enrollment,
    ImportBatch,
    ImportChange,
    Participant,
)
from allervers_desktop.excel.bulk import BulkInsert
from allervers_desktop.excel.keys import fast_employer_key, participant_keys
from allervers_desktop.excel.matching import EmployerKey
from allervers_desktop.excel.planning import ImportPlan, PersonPlan, used_new_employers
from allervers_desktop.excel.progress import ProgressTicker
from allervers_desktop.excel.report import ImportReport

CHUNK = 1000
T = TypeVar("T")

PARTICIPANTS = cast(Table, Participant.__table__)
EMPLOYERS = cast(Table, Employer.__table__)
ENROLLMENTS = cast(Table, Enrollment.__table__)
CHANGES = cast(Table, ImportChange.__table__)

# What undo compares to tell whether a created participant was edited since.
SNAPSHOT_FIELDS = (
    "civility",
    "last_name",
    "first_name",
    "email",
    "phone",
    "job_title",
    "notes",
    "employer_id",
)
PARTICIPANT_COLUMNS = (
    "id",
    *SNAPSHOT_FIELDS,
    "sort_name",
    "search_text",
    "created_at",
    "updated_at",
)
ENROLLMENT_COLUMNS = ("id", "participant_id", "group_id", "status", "enrolled_on", "source")
ENROLLMENT_SNAPSHOT = ("participant_id", "group_id", "status")
EMPLOYER_SNAPSHOT = ("name", "city")
CHANGE_COLUMNS = (
    "batch_id",
    "entity",
    "entity_id",
    "entity_count",
    "action",
    "previous_values",
    "new_values",
)
_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str)


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[tuple[int, Sequence[T]]]:
    """(start index, slice) pairs."""
    for start in range(0, len(items), size):
        yield start, items[start : start + size]


def write_units(plan: ImportPlan) -> int:
    """How many records the writer will touch (for the progress bar)."""
    updated = sum(1 for p in plan.persons if p.participant_id is not None and p.updates)
    created = sum(1 for p in plan.persons if p.participant_id is None)
    return created + updated + len(plan.enrollments)


def dumps(values: dict[str, Any]) -> str:
    return _JSON.encode(values)


class PlanWriter:
    """Inserts in bulk what is new, updates what is filled, and logs every change."""

    def __init__(self, session: Session, plan: ImportPlan, ticker: ProgressTicker) -> None:
        self.session = session
        self.plan = plan
        self.ticker = ticker
        self.employer_ids: dict[str, int] = {}
        self.person_ids: dict[int, int] = {}
        self.changes: list[tuple[Any, ...]] = []
        self.batch_id = 0
        self.source = ""

    def write(self, report: ImportReport, file_path: str, sha256: str, group_id: int | None) -> int:
        batch = ImportBatch(
            file_name=report.file_name,
            file_path=file_path,
            sheet_name=report.sheet_name,
            file_sha256=sha256,
            group_id=group_id,
        )
        self.session.add(batch)
        self.session.flush()
        self.batch_id = batch.id
        self.source = f"import n° {batch.id} ({report.file_name})"[:300]
        self._employers()
        self._new_participants()
        self._updates()
        self._enrollments()
        BulkInsert(self.session, CHANGES, CHANGE_COLUMNS).run(self.changes)
        counts = report.counts
        batch.created_count = counts.created
        batch.updated_count = counts.updated
        batch.enrolled_count = counts.enrolled
        batch.waitlisted_count = counts.waitlisted
        batch.unchanged_count = counts.unchanged
        batch.skipped_count = counts.skipped
        batch.report = dumps(report.to_json() | {"batch_id": batch.id, "applied": True})
        self.session.flush()
        return batch.id

    def _next_ids(self, table: Table, count: int) -> range:
        """Ids for ``count`` new rows, consecutive (the history stores blocks). On SQLite the
        batch row written first holds the write lock, so no other connection can insert
        between this read and our inserts. On PostgreSQL the table is locked against other
        writers until the import commits (readers go on), and its id sequence is moved past
        the block, so that the rows others add afterwards never take one of its ids."""
        if self.session.get_bind().dialect.name == "postgresql":
            name = table.name
            self.session.execute(text(f'LOCK TABLE "{name}" IN EXCLUSIVE MODE'))
            top = self.session.scalar(select(func.max(table.c.id))) or 0
            self.session.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence(:t, 'id'), "
                    "GREATEST(:last, (SELECT last_value FROM "
                    f'"{name}_id_seq")))'
                ),
                {"t": name, "last": top + count},
            )
            return range(top + 1, top + 1 + count)
        top = self.session.scalar(select(func.max(table.c.id))) or 0
        return range(top + 1, top + 1 + count)

    def _updated(self, entity_id: int, new: dict[str, Any], previous: dict[str, Any]) -> None:
        """One participant updated: the replaced values and the written ones."""
        row = (self.batch_id, "participant", entity_id, 1, "updated", dumps(previous), dumps(new))
        self.changes.append(row)

    def _created(self, entity: str, ids: range, snapshots: list[tuple[Any, ...]]) -> None:
        """A block of consecutive ids created, with what was written for each (a JSON list)."""
        if ids:
            new = _JSON.encode(snapshots)
            self.changes.append((self.batch_id, entity, ids.start, len(ids), "created", "", new))

    def _employers(self) -> None:
        keys = used_new_employers(self.plan.persons)
        if not keys:
            return
        new = self.plan.index.employers.new
        ids = self._next_ids(EMPLOYERS, len(keys))
        numbers = self.plan.index.employers.new_identifiers
        rows = []
        for key, new_id in zip(keys, ids, strict=True):
            name, city = new[key]
            siret, finess = numbers.get(key, ("", ""))
            rows.append((new_id, name, city, fast_employer_key(name, city), siret, finess))
            self.employer_ids[key] = new_id
        columns = ("id", "name", "city", "match_key", "siret", "finess")
        BulkInsert(self.session, EMPLOYERS, columns).run(rows)
        self._created("employer", ids, [(row[1], row[2]) for row in rows])

    def _employer_id(self, key: EmployerKey | None) -> int | None:
        if key is None or isinstance(key, int):
            return key
        return self.employer_ids[key]

    def _new_participants(self) -> None:
        new = [person for person in self.plan.persons if person.participant_id is None]
        employers = self.plan.index.employers
        bulk = BulkInsert(self.session, PARTICIPANTS, PARTICIPANT_COLUMNS)
        now = bulk.value("created_at", dt.datetime.now().replace(microsecond=0))
        ids = self._next_ids(PARTICIPANTS, len(new))
        snapshots: list[tuple[Any, ...]] = []
        for start, part in chunks(new):
            rows = []
            for person, new_id in zip(part, ids[start : start + len(part)], strict=True):
                values = person.incoming
                email = values["email"] or None
                snapshot = (  # in SNAPSHOT_FIELDS order
                    values["civility"],
                    values["last_name"],
                    values["first_name"],
                    email,
                    values["phone"],
                    values["job_title"],
                    values["notes"],
                    self._employer_id(person.employer),
                )
                sort_name, search_text = participant_keys(
                    values["last_name"],
                    values["first_name"],
                    email,
                    values["job_title"],
                    employers.name_of(person.employer),
                )
                rows.append((new_id, *snapshot, sort_name, search_text, now, now))
                snapshots.append(snapshot)
                self.person_ids[person.index] = new_id
            bulk.run(rows)
            self.ticker.advance(len(part))
        self._created("participant", ids, snapshots)

    def _updates(self) -> None:
        updated = [p for p in self.plan.persons if p.participant_id is not None and p.updates]
        for _start, part in chunks(updated, 500):
            ids = [person.participant_id for person in part]
            loaded = {
                participant.id: participant
                for participant in self.session.scalars(
                    select(Participant)
                    .where(Participant.id.in_(ids))
                    .options(selectinload(Participant.employer))
                )
            }
            for person in part:
                assert person.participant_id is not None
                self._update(loaded[person.participant_id], person)
            self.session.flush()
            self.ticker.advance(len(part))
        for person in self.plan.persons:
            if person.participant_id is not None:
                self.person_ids[person.index] = person.participant_id

    def _update(self, participant: Participant, person: PersonPlan) -> None:
        previous: dict[str, Any] = {}
        new: dict[str, Any] = {}
        for name, (_old, value) in person.updates.items():
            if name == "employer_id":
                employer_id = self._employer_id(value)  # type: ignore[arg-type]
                previous[name] = participant.employer_id
                participant.employer = (
                    self.session.get(Employer, employer_id) if employer_id is not None else None
                )
                new[name] = employer_id
            else:
                previous[name] = getattr(participant, name)
                stored = value or None if name == "email" else value
                setattr(participant, name, stored)
                new[name] = stored
        self._updated(participant.id, new, previous)

    def _enrollments(self) -> None:
        enrollments = self.plan.enrollments
        bulk = BulkInsert(self.session, ENROLLMENTS, ENROLLMENT_COLUMNS)
        dates: dict[dt.date, Any] = {}
        ids = self._next_ids(ENROLLMENTS, len(enrollments))
        snapshots: list[tuple[Any, ...]] = []
        for start, part in chunks(enrollments):
            rows = []
            for enrollment, new_id in zip(part, ids[start : start + len(part)], strict=True):
                participant_id = self.person_ids[enrollment.person]
                when = enrollment.enrolled_on
                if when not in dates:
                    dates[when] = bulk.value("enrolled_on", when)
                rows.append(
                    (
                        new_id,
                        participant_id,
                        enrollment.group_id,
                        enrollment.status,
                        dates[when],
                        self.source,
                    )
                )
                snapshots.append((participant_id, enrollment.group_id, enrollment.status))
            bulk.run(rows)
            self.ticker.advance(len(part))
        self._created("enrollment", ids, snapshots)
