"""Historique of a record: who changed which fields, when (read from ``change_log``)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from allervers_desktop.db.models import ChangeLogEntry, Employer
from allervers_desktop.formatting import PERSON_FIELD_LABELS
from allervers_desktop.phones import display_phone

# Shown at most; the oldest changes beyond are counted, not listed.
HISTORY_LIMIT = 500

ACTION_LABELS = {"create": "Création", "update": "Modification", "delete": "Suppression"}

FIELD_LABELS = {
    **PERSON_FIELD_LABELS,
    "name": "Nom",
    "notes": "Notes",
    "organisation": "Structure",
    "city": "Ville",
    "address": "Adresse",
    "postcode": "Code postal",
    "siret": "SIRET",
    "finess": "FINESS",
    "nda": "N° de déclaration d'activité",
    "nda_region": "Région de la déclaration",
    "legal_representative": "Représentant légal",
    "legal_representative_title": "Qualité du représentant",
    "contact_name": "Contact",
    "contact_email": "E-mail du contact",
    "contact_phone": "Téléphone du contact",
    "accessibility_contact": "Référent handicap",
    "internal_rules": "Règlement intérieur",
    "label": "Libellé",
    "venue_address": "Adresse du lieu",
    "status": "Statut",
    "capacity": "Capacité",
    "course_id": "Formation",
    "title": "Intitulé",
    "module": "Module",
    "reference": "Référence",
    "sectors": "Secteurs",
    "audience": "Public",
    "duration_days": "Durée (jours)",
    "duration_hours": "Durée (heures)",
    "provider_id": "Organisme de formation",
    "funding_scheme": "Dispositif de financement",
    "region": "Région",
    "opco_name": "Opco",
    "opco_contact_name": "Contact à l'Opco",
    "opco_contact_email": "E-mail du contact à l'Opco",
    "partners": "Partenaires",
    "context": "Contexte",
    "prerequisites": "Prérequis",
    "action_nature": "Nature de l'action",
    "assesses_learning": "Évaluation des acquis",
    "what_to_bring": "À apporter",
    "contact_erased_at": "Coordonnées effacées le",
    "anonymised_at": "Anonymisé le",
    # « Fusionner » (services/participant_merge.py): the record merged into this one.
    "merged_from": "Fiche fusionnée (n°)",
    "last_import": "Dernier import avant la fusion (n°)",
}


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Change:
    at: dt.datetime
    by: str
    action: str  # « Création », « Modification », « Suppression »
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class History:
    changes: list[Change]  # newest first
    older: int  # changes beyond HISTORY_LIMIT, not listed


def _shown(session: Session, field: str, value: object) -> str:
    if value is None or value == "":
        return "—"
    if field == "employer_id" and isinstance(value, int):
        employer = session.get(Employer, value)
        return employer.display_name if employer is not None else f"n° {value}"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if field.endswith("phone") and isinstance(value, str):
        return display_phone(value)
    return str(value)


def record_history(session: Session, model: type[Any], record_id: int) -> History:
    table = model.__tablename__
    rows = session.scalars(
        select(ChangeLogEntry)
        .where(ChangeLogEntry.table_name == table, ChangeLogEntry.record_id == record_id)
        .order_by(ChangeLogEntry.id.desc())
        .limit(HISTORY_LIMIT + 1)
    ).all()
    changes = []
    for row in rows[:HISTORY_LIMIT]:
        details: dict[str, list[object]] = json.loads(row.details or "{}")
        changes.append(
            Change(
                at=row.changed_at,
                by=row.changed_by or "inconnu",
                action=ACTION_LABELS.get(row.action, row.action),
                fields=tuple(
                    FieldChange(
                        FIELD_LABELS.get(name, name),
                        _shown(session, name, before),
                        _shown(session, name, after),
                    )
                    for name, (before, after) in sorted(details.items())
                ),
            )
        )
    older = 0
    if len(rows) > HISTORY_LIMIT:
        from sqlalchemy import func

        total = session.scalar(
            select(func.count())
            .select_from(ChangeLogEntry)
            .where(ChangeLogEntry.table_name == table, ChangeLogEntry.record_id == record_id)
        )
        older = int(total or 0) - HISTORY_LIMIT
    return History(changes, older)


def last_change(record: Any) -> str:
    """« Modifié par mdupont le 03/12/2026 à 09:41 », or empty if never changed here."""
    at: dt.datetime | None = getattr(record, "modified_at", None)
    if at is None:
        return ""
    who = f" par {record.modified_by}" if getattr(record, "modified_by", "") else ""
    return f"Modifié{who} le {at:%d/%m/%Y} à {at:%H:%M}"
