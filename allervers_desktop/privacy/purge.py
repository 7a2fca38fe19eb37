"""« Purger »: apply the retention rules to the whole database, in one transaction.

``plan_purge`` says what would go (people, import details, old log lines) without writing;
``apply_purge`` does the same plan in the caller's transaction and logs it. Statistics stay
possible: people are anonymised, never deleted, so enrollments, attendance and hours remain.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from allervers_desktop.db.database import sqlite_reason
from allervers_desktop.db.models import ImportBatch, ImportChange, Participant
from allervers_desktop.excel.progress import Progress, ProgressTicker
from allervers_desktop.privacy import log
from allervers_desktop.privacy.anonymise import (
    Scrub,
    anonymise,
    clear_absence_reasons,
    erase_contacts,
    scrub_import_history,
)
from allervers_desktop.privacy.facts import person_facts
from allervers_desktop.privacy.rules import RetentionRules, get_rules
from allervers_desktop.services.errors import ServiceError

ANONYMISE = "anonymise"
CONTACTS = "contacts"
CHUNK = 500
CANCELLED = "Purge interrompue : rien n'a été modifié."
_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


def short(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class PersonPurge:
    """What the purge does to one participant."""

    participant_id: int
    name: str
    action: str  # ANONYMISE or CONTACTS
    last_activity: dt.date
    kept_until: dt.date | None  # documents still kept until then (CONTACTS only)

    def describe(self) -> str:
        who = f"n° {self.participant_id} — {self.name}"
        if self.action == ANONYMISE:
            return f"{who} : anonymisé(e) (sans activité depuis le {short(self.last_activity)})"
        until = short(self.kept_until) if self.kept_until else ""
        return f"{who} : coordonnées effacées, nom gardé (documents conservés jusqu'au {until})"

    def to_json(self) -> dict[str, Any]:
        return {
            "participant_id": self.participant_id,
            "name": self.name,
            "action": self.action,
            "last_activity": self.last_activity.isoformat(),
            "kept_until": self.kept_until.isoformat() if self.kept_until else None,
        }


@dataclass(frozen=True)
class BatchPurge:
    batch_id: int
    file_name: str
    imported_at: dt.datetime

    def describe(self) -> str:
        return f"import n° {self.batch_id} du {short(self.imported_at.date())} ({self.file_name})"


@dataclass
class PurgePlan:
    """What a purge would do (``applied`` False) or did."""

    today: dt.date
    rules: RetentionRules
    people: list[PersonPurge] = field(default_factory=list)
    batches: list[BatchPurge] = field(default_factory=list)
    log_entry_ids: list[int] = field(default_factory=list)
    applied: bool = False
    history_records: int = 0  # import-history records cleaned of personal data (applied only)

    def of(self, action: str) -> list[PersonPurge]:
        return [person for person in self.people if person.action == action]

    @property
    def is_empty(self) -> bool:
        return not (self.people or self.batches or self.log_entry_ids)

    def counts(self) -> dict[str, int]:
        return {
            "anonymised": len(self.of(ANONYMISE)),
            "contacts_erased": len(self.of(CONTACTS)),
            "import_details": len(self.batches),
            "log_entries": len(self.log_entry_ids),
            "history_records": self.history_records,
        }

    def summary(self) -> str:
        if self.is_empty:
            return "Rien à purger : aucune donnée n'a dépassé sa durée de conservation."
        c = self.counts()
        text = (
            f"{c['anonymised']} participant(s) anonymisé(s), {c['contacts_erased']} dont seules "
            f"les coordonnées sont effacées, détail de {c['import_details']} import(s) effacé, "
            f"{c['log_entries']} ligne(s) du journal supprimée(s)"
        )
        return (text + ".") if self.applied else f"La purge ferait : {text}."

    def lines(self) -> list[str]:
        lines = [self.summary()]
        lines += [person.describe() for person in self.people]
        lines += [f"Détail effacé : {batch.describe()}" for batch in self.batches]
        return lines

    def to_json(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "applied": self.applied,
            "rules": self.rules.as_dict(),
            "counts": self.counts(),
            "people": [person.to_json() for person in self.people],
            "import_batches": [
                {
                    "id": b.batch_id,
                    "file_name": b.file_name,
                    "imported_at": b.imported_at.isoformat(),
                }
                for b in self.batches
            ],
            "log_entries": len(self.log_entry_ids),
            "message": self.summary(),
        }


def plan_purge(session: Session, today: dt.date | None = None) -> PurgePlan:
    """What the rules in force would remove today; writes nothing."""
    day = today or dt.date.today()
    rules = get_rules(session)
    plan = PurgePlan(day, rules)
    inactive_before = rules.inactive_before(day)
    for facts in sorted(person_facts(session, day).values(), key=lambda f: f.participant_id):
        if facts.anonymised_at is not None or facts.last_activity >= inactive_before:
            continue
        kept = facts.must_keep(rules, day)
        if kept is None:
            action = ANONYMISE
        elif not facts.contacts_erased:
            action = CONTACTS
        else:
            continue
        plan.people.append(
            PersonPurge(facts.participant_id, facts.name, action, facts.last_activity, kept)
        )
    imports_before = dt.datetime.combine(rules.imports_before(day), dt.time())
    rows = session.execute(
        select(ImportBatch.id, ImportBatch.file_name, ImportBatch.imported_at)
        .where(ImportBatch.details_purged_at.is_(None), ImportBatch.imported_at < imports_before)
        .order_by(ImportBatch.id)
    )
    plan.batches = [BatchPurge(*row) for row in rows]
    plan.log_entry_ids = log.expired_entries(session, rules.log_before(day))
    return plan


def apply_purge(
    session: Session, today: dt.date | None = None, progress: Progress | None = None
) -> PurgePlan:
    """Purge in the caller's transaction; any failure raises and the caller rolls back."""
    plan = plan_purge(session, today)
    if plan.is_empty:
        return plan
    now = dt.datetime.now().replace(microsecond=0)
    ticker = ProgressTicker(progress, len(plan.people) + 1, cancelled_message=CANCELLED)
    try:
        scrubs: list[Scrub] = []
        actions = {person.participant_id: person.action for person in plan.people}
        ids = list(actions)
        for start in range(0, len(ids), CHUNK):
            part = ids[start : start + CHUNK]
            people = session.scalars(
                select(Participant)
                .where(Participant.id.in_(part))
                .options(selectinload(Participant.employer))
            )
            for participant in people:
                if actions[participant.id] == ANONYMISE:
                    scrubs.append(anonymise(participant, now))
                else:
                    scrubs.append(erase_contacts(participant, now))
            session.flush()
            ticker.advance(len(part))
        clear_absence_reasons(
            session, [pid for pid, action in actions.items() if action == ANONYMISE]
        )
        plan.history_records = scrub_import_history(session, scrubs)
        _drop_import_details(session, [batch.batch_id for batch in plan.batches], now)
        log.delete_entries(session, plan.log_entry_ids)
        plan.applied = True
        log.record(session, "purge", plan.summary(), plan.counts(), when=now)
        session.flush()
        ticker.finish()
    except SQLAlchemyError as exc:
        raise ServiceError(
            f"La purge n'a pas pu être faite ({sqlite_reason(exc)}) : rien n'a été modifié."
        ) from exc
    return plan


def _drop_import_details(session: Session, batch_ids: list[int], now: dt.datetime) -> None:
    """Keep each import's counts; drop what it wrote row by row (undo is no longer possible)."""
    for start in range(0, len(batch_ids), 500):
        part = batch_ids[start : start + 500]
        session.execute(
            update(ImportChange)
            .where(ImportChange.batch_id.in_(part))
            .values(previous_values="", new_values="")
            .execution_options(synchronize_session=False)
        )
        for batch in session.scalars(select(ImportBatch).where(ImportBatch.id.in_(part))):
            report: dict[str, Any] = json.loads(batch.report) if batch.report else {}
            for key in ("skipped", "warnings", "conflicts"):
                if key in report:
                    report[key] = []
            report["details_purged"] = True
            batch.report = _JSON.encode(report)
            batch.file_path = ""
            batch.details_purged_at = now
