"""« Effacer / anonymiser » one person: full anonymisation, or contacts only while the
sign-in sheets and certificates that name them must still be kept (saying until when)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from allervers_desktop.db.database import sqlite_reason
from allervers_desktop.db.models import Participant
from allervers_desktop.privacy import log
from allervers_desktop.privacy.anonymise import (
    anonymise,
    clear_absence_reasons,
    erase_contacts,
    scrub_import_history,
)
from allervers_desktop.privacy.facts import person_facts
from allervers_desktop.privacy.purge import ANONYMISE, CONTACTS, short
from allervers_desktop.privacy.rules import get_rules
from allervers_desktop.services.errors import NotFoundError, ServiceError


class ErasureRefused(ServiceError):
    """Nothing more can be erased of this person now."""


@dataclass
class ErasurePlan:
    """What erasing one participant does (or did, once ``applied``)."""

    participant_id: int
    name: str
    action: str  # ANONYMISE or CONTACTS
    kept_until: dt.date | None = None
    evidence_sentence: str = ""
    upcoming: list[str] = field(default_factory=list)
    applied: bool = False
    history_records: int = 0

    def question(self) -> str:
        """The confirmation the window asks and the command line prints without --yes."""
        lines: list[str] = []
        if self.action == ANONYMISE:
            lines.append(
                f"Les données personnelles de {self.name} (n° {self.participant_id}) seront "
                "définitivement remplacées par « Anonyme » : nom, civilité, e-mail, téléphone, "
                "fonction, notes, motifs d'absence et historique des imports. Ses inscriptions, "
                "présences et heures restent pour les statistiques."
            )
        else:
            lines.append(
                f"{self.evidence_sentence} : seules les coordonnées de {self.name} "
                f"(n° {self.participant_id}) — e-mail, téléphone, notes — seront effacées."
            )
        if self.upcoming:
            lines.append(
                "Attention : cette personne est inscrite à un groupe qui n'est pas terminé "
                f"({', '.join(self.upcoming)}) ; l'inscription reste."
            )
        return "\n".join(lines)

    def done_message(self) -> str:
        if self.action == ANONYMISE:
            return f"Le participant n° {self.participant_id} a été anonymisé."
        return f"{self.evidence_sentence} : seules ses coordonnées ont été effacées."

    def log_summary(self) -> str:
        if self.action == ANONYMISE:
            return f"Participant n° {self.participant_id} anonymisé."
        until = short(self.kept_until) if self.kept_until else ""
        return (
            f"Participant n° {self.participant_id} : coordonnées effacées, nom gardé "
            f"(documents conservés jusqu'au {until})."
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "participant_id": self.participant_id,
            "action": self.action,
            "kept_until": self.kept_until.isoformat() if self.kept_until else None,
            "applied": self.applied,
            "history_records": self.history_records,
            "message": self.done_message() if self.applied else self.question(),
        }


def plan_erasure(
    session: Session, participant_id: int, today: dt.date | None = None
) -> ErasurePlan:
    """What can be erased of this person today; ErasureRefused when nothing more can be."""
    day = today or dt.date.today()
    facts = person_facts(session, day, [participant_id]).get(participant_id)
    if facts is None:
        raise NotFoundError("participant", participant_id)
    if facts.anonymised_at is not None:
        raise ErasureRefused(
            f"Le participant n° {participant_id} a déjà été anonymisé le "
            f"{short(facts.anonymised_at.date())}."
        )
    rules = get_rules(session)
    kept = facts.must_keep(rules, day)
    if kept is None:
        return ErasurePlan(participant_id, facts.name, ANONYMISE, upcoming=facts.upcoming)
    sentence = facts.evidence_sentence(kept)
    if facts.contacts_erased and facts.contact_erased_at is not None:
        raise ErasureRefused(
            f"{sentence} : ses coordonnées ont déjà été effacées le "
            f"{short(facts.contact_erased_at.date())}, le reste ne peut pas l'être avant."
        )
    return ErasurePlan(participant_id, facts.name, CONTACTS, kept, sentence, facts.upcoming)


def erase_participant(
    session: Session, participant_id: int, today: dt.date | None = None
) -> ErasurePlan:
    """Erase in the caller's transaction, and log it (without the erased data)."""
    plan = plan_erasure(session, participant_id, today)
    participant = session.get_one(Participant, participant_id)
    now = dt.datetime.now().replace(microsecond=0)
    try:
        if plan.action == ANONYMISE:
            scrub = anonymise(participant, now)
            clear_absence_reasons(session, [participant_id])
        else:
            scrub = erase_contacts(participant, now)
        session.flush()
        plan.history_records = scrub_import_history(session, [scrub])
        plan.applied = True
        log.record(
            session,
            "erase",
            plan.log_summary(),
            {"anonymised": int(plan.action == ANONYMISE), "history_records": plan.history_records},
            participant_id,
            now,
        )
    except SQLAlchemyError as exc:
        raise ServiceError(
            f"L'effacement n'a pas pu être fait ({sqlite_reason(exc)}) : rien n'a été modifié."
        ) from exc
    return plan
