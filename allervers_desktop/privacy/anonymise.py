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

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, object_session

from allervers_desktop.db.models import (
    Attendance,
    Enrollment,
    ImportBatch,
    ImportChange,
    OutboxMessage,
    OutboxStatus,
    Participant,
)
from allervers_desktop.excel.writing import SNAPSHOT_FIELDS
from allervers_desktop.phones import display_phone

ERASED = "[effacé]"
CONTACT_FIELDS = ("email", "phone", "notes")
IDENTITY_FIELDS = tuple(name for name in SNAPSHOT_FIELDS if name != "employer_id")
ANONYMOUS_LAST_NAME = "Anonyme"
CHUNK = 500
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
    participant.contact_erased_at = when or _now()
    forget_messages(participant)
    return scrub


def anonymise(participant: Participant, when: dt.datetime | None = None) -> Scrub:
    """Replace everything that identifies the person; returns what the history must lose.
    (The caller clears the reasons of absence with ``clear_absence_reasons``.)"""
    moment = when or _now()
    scrub = Scrub(participant.id, IDENTITY_FIELDS, _traces(participant, IDENTITY_FIELDS))
    forget_mentions(participant, moment)
    participant.civility = ""
    participant.last_name = ANONYMOUS_LAST_NAME
    participant.first_name = anonymous_first_name(participant.id)
    participant.email = None
    participant.phone = ""
    participant.job_title = ""
    participant.notes = ""
    participant.contact_erased_at = participant.contact_erased_at or moment
    participant.anonymised_at = moment
    forget_messages(participant)
    return scrub


def forget_messages(participant: Participant) -> None:
    """The outbox keeps whole messages (address, name, attachments): the person's go too,
    sent or not."""
    session = object_session(participant)
    if session is not None and participant.id is not None:
        session.execute(delete(OutboxMessage).where(OutboxMessage.participant_id == participant.id))


ERASED_BODY = (
    "(Contenu effacé le {date} : une personne citée dans ce message a été anonymisée au titre "
    "du RGPD. Le journal garde seulement le destinataire, l'objet et la date d'envoi.)"
)
MENTIONING_KINDS = ("employer_list", "certificates")


def forget_mentions(participant: Participant, moment: dt.datetime) -> int:
    """Messages to an employer that name the person (the list of its employees, the
    certificates attached « Attestation - MULLER Hélène.pdf »), in the groups she was enrolled
    in: the unsent ones go (they would still give her name), the sent ones keep only their
    log line (recipient, subject, date), their text and attachments erased. Called before the
    name is replaced. Returns how many messages were touched."""
    session = object_session(participant)
    if session is None or participant.id is None:
        return 0
    name = participant.full_name
    groups = select(Enrollment.group_id).where(Enrollment.participant_id == participant.id)
    rows = session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.kind.in_(MENTIONING_KINDS),
            OutboxMessage.participant_id.is_(None),
            OutboxMessage.group_id.in_(groups),
        )
    ).all()
    listed = re.compile(rf"^- {re.escape(name)}(?: \(.*\))?$", re.MULTILINE)
    touched = 0
    for row in rows:
        named = listed.search(row.body) is not None or any(
            line.removesuffix(".pdf").endswith(f" - {name}")
            for line in row.attachment_names.split("\n")
        )
        if not named:
            continue
        touched += 1
        if row.status == OutboxStatus.SENT.value:
            row.body = ERASED_BODY.format(date=moment.strftime("%d/%m/%Y"))
            row.attachment_names = ""
            row.content = b""
        else:
            session.delete(row)
    session.flush()
    return touched


def clear_absence_reasons(session: Session, participant_ids: list[int]) -> None:
    """Reasons of absence can be health data: anonymised people keep only the statuses."""
    for start in range(0, len(participant_ids), CHUNK):
        part = participant_ids[start : start + CHUNK]
        enrollment_ids = select(Enrollment.id).where(Enrollment.participant_id.in_(part))
        session.execute(
            update(Attendance)
            .where(Attendance.enrollment_id.in_(enrollment_ids), Attendance.reason != "")
            .values(reason="")
            .execution_options(synchronize_session=False)
        )


def _traces(participant: Participant, names: Iterable[str]) -> tuple[str, ...]:
    chosen = set(names)
    texts: list[str] = []
    if "email" in chosen and participant.email:
        texts.append(participant.email)
    if "phone" in chosen and participant.phone:
        # Stored in E.164 (« +33612345678 »); the history holds it as typed (« 06 12 … »).
        texts += [participant.phone, display_phone(participant.phone)]
    if "last_name" in chosen:
        last, first = participant.last_name.strip(), participant.first_name.strip()
        texts += [f"{last} {first}", f"{first} {last}"]
        if len(last) >= 3:
            texts.append(last)
    return tuple(text for text in texts if len(text.strip()) >= 3)


def _is_phone(trace: str) -> bool:
    digits = NOT_DIGIT.sub("", trace)
    return len(digits) >= 8 and len(digits) * 2 >= len(trace.replace(" ", ""))


def _literal(trace: str) -> str:
    """A phone number matches whatever separates its digits (« 06.11… », « 0611… »)."""
    if _is_phone(trace):
        return r"[\s.\-]*".join(NOT_DIGIT.sub("", trace))
    return re.escape(trace)


def _pattern(traces: Iterable[str]) -> re.Pattern[str] | None:
    unique = sorted(set(traces), key=len, reverse=True)
    return re.compile("|".join(_literal(t) for t in unique), re.IGNORECASE) if unique else None


TOKEN = re.compile(r"\w[\w.@+'-]*")
NOT_DIGIT = re.compile(r"\D")


class _Mentions:
    """Finds which erased people a row message mentions, without one huge pattern: words and
    e-mails are looked up in an index, phone numbers compared digit by digit."""

    def __init__(self, scrubs: Iterable[Scrub]) -> None:
        self.by_key: dict[str, list[Scrub]] = {}
        self.by_phone: dict[str, list[Scrub]] = {}
        for scrub in scrubs:
            for trace in scrub.traces:
                if _is_phone(trace):
                    self.by_phone.setdefault(NOT_DIGIT.sub("", trace), []).append(scrub)
                for word in TOKEN.findall(trace.casefold()):
                    if len(word) >= 3 and not word.isdigit():
                        self.by_key.setdefault(word, []).append(scrub)

    def redact(self, text: str) -> str:
        found: dict[int, Scrub] = {}
        for word in TOKEN.findall(text.casefold()):
            for scrub in self.by_key.get(word.rstrip(".'-"), []):
                found[scrub.participant_id] = scrub
        digits = NOT_DIGIT.sub("", text)
        if len(digits) >= 8:
            for phone, scrubs in self.by_phone.items():
                if phone in digits:
                    found.update((scrub.participant_id, scrub) for scrub in scrubs)
        pattern = _pattern(trace for scrub in found.values() for trace in scrub.traces)
        return pattern.sub(ERASED, text) if pattern is not None else text


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
    mentions = _Mentions(by_id.values())
    for batch in session.scalars(select(ImportBatch).where(ImportBatch.report != "")):
        if _scrub_report(batch, by_id, mentions):
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


def _scrub_report(batch: ImportBatch, by_id: dict[int, Scrub], mentions: _Mentions) -> bool:
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
    for key, text_key in (("skipped", "reason"), ("warnings", "message")):
        for item in report.get(key, []):
            text = str(item.get(text_key, ""))
            redacted = mentions.redact(text)
            if redacted != text:
                item[text_key] = redacted
                changed = True
    if changed:
        batch.report = _JSON.encode(report)
    return changed
