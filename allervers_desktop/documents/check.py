"""« Contrôle »: what a funder's check of a group would flag (contrôle de service fait)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from allervers_desktop.db.models import DocumentState, Enrollment, IssuedDocument
from allervers_desktop.documents.issuing import changed_documents, provider_missing_fields
from allervers_desktop.documents.model import DocumentKind
from allervers_desktop.formatting import PERIOD_LABELS, hours_fr, short_date
from allervers_desktop.services.attendance import attendance_grid
from allervers_desktop.services.groups import get_group
from allervers_desktop.services.signed_sheets import days_with_sheets

KIND_NOUNS = {
    DocumentKind.ATTESTATION: "l'attestation",
    DocumentKind.REALISATION: "le certificat de réalisation",
}


@dataclass(frozen=True)
class Finding:
    """One point to fix before a check; ``code`` says which rule found it."""

    code: str  # sheet_missing | hours_differ | data_changed | provider_missing
    message: str  # French, one line
    date: dt.date | None = None
    participant: str = ""
    number: str = ""


def check_group(session: Session, group_id: int) -> list[Finding]:
    """Every finding for the group, rule by rule."""
    return [
        *_missing_sheets(session, group_id),
        *_hours_differ(session, group_id),
        *_data_changed(session, group_id),
        *_provider(session, group_id),
    ]


def _missing_sheets(session: Session, group_id: int) -> list[Finding]:
    grid = attendance_grid(session, group_id)
    attached = days_with_sheets(session, group_id)
    findings = []
    for column in grid.columns:
        if column.date in attached:
            continue
        if any(row.cell(column.half_day_id).is_recorded for row in grid.rows):
            findings.append(
                Finding(
                    "sheet_missing",
                    f"{short_date(column.date)} {PERIOD_LABELS[column.period]} : présences "
                    "saisies, mais aucune feuille d'émargement signée n'est jointe pour ce jour.",
                    date=column.date,
                )
            )
    return findings


def _hours_differ(session: Session, group_id: int) -> list[Finding]:
    grid = attendance_grid(session, group_id)
    rows = {row.enrollment_id: row for row in grid.rows}
    documents = session.scalars(
        select(IssuedDocument)
        .join(Enrollment, IssuedDocument.enrollment_id == Enrollment.id)
        .where(
            Enrollment.group_id == group_id,
            IssuedDocument.state == DocumentState.VALID.value,
        )
        .order_by(IssuedDocument.number)
    )
    findings = []
    for document in documents:
        row = rows.get(document.enrollment_id)
        if row is None or not row.has_attendance:
            continue
        hours = grid.hours_attended(row)
        if abs(hours - document.hours_attended) > 1e-9:
            noun = KIND_NOUNS[DocumentKind(document.kind)]
            findings.append(
                Finding(
                    "hours_differ",
                    f"{row.name} : {hours_fr(hours)} sur la grille des présences, "
                    f"{hours_fr(document.hours_attended)} sur {noun} n° {document.number}.",
                    participant=row.name,
                    number=document.number,
                )
            )
    return findings


def _data_changed(session: Session, group_id: int) -> list[Finding]:
    findings = []
    for kind in (DocumentKind.ATTESTATION, DocumentKind.REALISATION):
        for change in changed_documents(session, kind, group_id):
            legacy = " (contenu antérieur au journal)" if change.legacy else ""
            findings.append(
                Finding(
                    "data_changed",
                    f"{change.participant_name} : {change.number}{legacy} délivré(e) avant une "
                    f"modification des données ({', '.join(change.changes)}) : réémettez une "
                    "version corrigée.",
                    participant=change.participant_name,
                    number=change.number,
                )
            )
    return findings


def _provider(session: Session, group_id: int) -> list[Finding]:
    group = get_group(session, group_id)
    provider = group.course.provider
    if provider is None:
        return [
            Finding(
                "provider_missing",
                f"La formation « {group.course.title} » n'a pas d'organisme de formation : "
                "le certificat de réalisation est le document du dispensateur.",
            )
        ]
    return [
        Finding(
            "provider_missing",
            f"Organisme de formation « {provider.name or '?'} » : {label} non renseigné(e).",
        )
        for label in provider_missing_fields(provider)
    ]
