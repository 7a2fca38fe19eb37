"""Erase a participant's contact data or anonymise the whole record, import history included.

Two levels:
- « coordonnées effacées »: e-mail, phone and notes go; the name, employer, enrollments and
  attendance stay, because the sign-in sheets and certificates that name the person must still
  be kept;
- « anonymisé »: the name becomes « Anonyme n° 12 », civility, job title, attendance reasons go
  too; the employer, the enrollments, the attendance statuses and the issued documents' numbers
  and hours stay, so every total (hours per group, per employer, trainees) is unchanged.

The import history holds what each import wrote (names, e-mails…): the same fields are erased
from its snapshots, from the conflicts its reports list and from its row messages.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from allervers_desktop.db.models import (
    Attendance,
    Enrollment,
    ImportBatch,
    ImportChange,
    Participant,
)
from allervers_desktop.excel.writing import SNAPSHOT_FIELDS

ERASED = "[effacé]"
CONTACT_FIELDS = ("email", "phone", "notes")
IDENTITY_FIELDS = tuple(name for name in SNAPSHOT_FIELDS if name != "employer_id")
ANONYMOUS_LAST_NAME = "Anonyme"
_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str)


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def anonymous_first_name(participant_id: int) -> str:
    return f"n° {participant_id}"


@dataclass(frozen=True)
class Scrub:
    """What to erase of one participant in the import history."""

    participant_id: int
    fields: tuple[str, ...]
    traces: tuple[str, ...]  # texts by which row messages may mention the person


def erase_contacts(participant: Participant, when: dt.datetime | None = None) -> Scrub:
    """Erase e-mail, phone and notes; returns what the import history must lose too."""
    scrub = Scrub(participant.id, CONTACT_FIELDS, _traces(participant, CONTACT_FIELDS))
    participant.email = None
    participant.phone = ""
    participant.notes = ""
    participant.contact_erased_at = participant.contact_erased_at or when or _now()
    return scrub


def anonymise(session: Session, participant: Participant, when: dt.datetime | None = None) -> Scrub:
    """Replace everything that identifies the person; returns what the history must lose."""
    moment = when or _now()
    scrub = Scrub(participant.id, IDENTITY_FIELDS, _traces(participant, IDENTITY_FIELDS))
    participant.civility = ""
    participant.last_name = ANONYMOUS_LAST_NAME
    participant.first_name = anonymous_first_name(participant.id)
    participant.email = None
    participant.phone = ""
    participant.job_title = ""
    participant.notes = ""
    participant.contact_erased_at = participant.contact_erased_at or moment
    participant.anonymised_at = moment
    enrollment_ids = select(Enrollment.id).where(Enrollment.participant_id == participant.id)
    session.execute(
        update(Attendance)
        .where(Attendance.enrollment_id.in_(enrollment_ids), Attendance.reason != "")
        .values(reason="")
        .execution_options(synchronize_session=False)
    )
    return scrub


def _traces(participant: Participant, names: Iterable[str]) -> tuple[str, ...]:
    chosen = set(names)
    texts: list[str] = []
    if "email" in chosen and participant.email:
        texts.append(participant.email)
    if "phone" in chosen and participant.phone:
        texts.append(participant.phone)
    if "last_name" in chosen:
        last, first = participant.last_name.strip(), participant.first_name.strip()
        texts += [f"{last} {first}", f"{first} {last}"]
        if len(last) >= 3:
            texts.append(last)
    return tuple(text for text in texts if len(text.strip()) >= 3)


def _pattern(traces: Iterable[str]) -> re.Pattern[str] | None:
    unique = sorted(set(traces), key=len, reverse=True)
    return re.compile("|".join(re.escape(t) for t in unique), re.IGNORECASE) if unique else None


def scrub_import_history(session: Session, scrubs: Iterable[Scrub]) -> int:
    """Erase the given fields of these participants wherever the import history keeps them;
    returns how many history records (changes and reports) were cleaned."""
    by_id = {scrub.participant_id: scrub for scrub in scrubs}
    if not by_id:
        return 0
    cleaned = 0
    changes = session.scalars(
        select(ImportChange).where(
            ImportChange.entity == "participant",
            ImportChange.entity_id <= max(by_id),
            ImportChange.entity_id + ImportChange.entity_count > min(by_id),
        )
    )
    for change in changes:
        touched = [
            by_id[pid]
            for pid in range(change.entity_id, change.entity_id + change.entity_count)
            if pid in by_id
        ]
        if touched and _scrub_change(change, touched):
            cleaned += 1
    pattern = _pattern(trace for scrub in by_id.values() for trace in scrub.traces)
    for batch in session.scalars(select(ImportBatch).where(ImportBatch.report != "")):
        if _scrub_report(batch, by_id, pattern):
            cleaned += 1
    return cleaned


def _erasable(scrub: Scrub) -> list[str]:
    return [name for name in scrub.fields if name in SNAPSHOT_FIELDS]


def _scrub_change(change: ImportChange, touched: list[Scrub]) -> bool:
    if change.action == "created":
        if not change.new_values:
            return False
        written = json.loads(change.new_values)
        for scrub in touched:
            offset = scrub.participant_id - change.entity_id
            if offset < len(written):
                for name in _erasable(scrub):
                    index = SNAPSHOT_FIELDS.index(name)
                    if index < len(written[offset]):
                        written[offset][index] = None
        change.new_values = _JSON.encode(written)
        return True
    for column in ("previous_values", "new_values"):
        text = getattr(change, column)
        if text:
            values: dict[str, Any] = json.loads(text)
            for name in _erasable(touched[0]):
                if name in values:
                    values[name] = None
            setattr(change, column, _JSON.encode(values))
    return True


def _scrub_report(
    batch: ImportBatch, by_id: dict[int, Scrub], pattern: re.Pattern[str] | None
) -> bool:
    report: dict[str, Any] = json.loads(batch.report)
    changed = False
    for conflict in report.get("conflicts", []):
        scrub = by_id.get(conflict.get("participant_id"))
        if (
            scrub is not None
            and conflict.get("field") in scrub.fields
            and ERASED not in (conflict.get("existing"), conflict.get("incoming"))
        ):
            conflict["existing"] = conflict["incoming"] = ERASED
            changed = True
    if pattern is not None:
        for key, text_key in (("skipped", "reason"), ("warnings", "message")):
            for item in report.get(key, []):
                text = str(item.get(text_key, ""))
                redacted = pattern.sub(ERASED, text)
                if redacted != text:
                    item[text_key] = redacted
                    changed = True
    if changed:
        batch.report = _JSON.encode(report)
    return changed
