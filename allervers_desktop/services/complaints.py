"""Réclamations et actions d'amélioration (Qualiopi 31–32): record, edit, close, list, export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from allervers_desktop.clock import now
from allervers_desktop.db.models import Complaint, ComplaintSource, ComplaintStatus, Group
from allervers_desktop.excel.xlsx_writing import SheetSpec, write_workbook
from allervers_desktop.services.errors import NotFoundError, ServiceError

SOURCE_LABELS = {
    ComplaintSource.TRAINEE.value: "Stagiaire",
    ComplaintSource.EMPLOYER.value: "Employeur",
    ComplaintSource.TRAINER.value: "Formateur",
    ComplaintSource.FUNDER.value: "Financeur",
    ComplaintSource.INTERNAL.value: "Interne",
    ComplaintSource.OTHER.value: "Autre",
}
STATUS_LABELS = {
    ComplaintStatus.OPEN.value: "Ouverte",
    ComplaintStatus.IN_PROGRESS.value: "En cours",
    ComplaintStatus.CLOSED.value: "Close",
}
SOURCE_WORDS = {
    **{label.lower(): code for code, label in SOURCE_LABELS.items()},
    **{code: code for code in SOURCE_LABELS},
}
STATUS_WORDS = {
    "ouverte": ComplaintStatus.OPEN.value,
    "en cours": ComplaintStatus.IN_PROGRESS.value,
    "en-cours": ComplaintStatus.IN_PROGRESS.value,
    "close": ComplaintStatus.CLOSED.value,
    **{code: code for code in STATUS_LABELS},
}
EXPORT_HEADERS = [
    "N°",
    "Reçue le",
    "Origine",
    "Groupe",
    "Description",
    "Analyse",
    "Action menée",
    "Responsable",
    "Statut",
    "Close le",
]


@dataclass(frozen=True)
class ComplaintData:
    """What a form or the command line gives (the status is changed by ``close`` too)."""

    received_on: dt.date
    source: str
    description: str
    group_id: int | None = None
    analysis: str = ""
    action_taken: str = ""
    person_in_charge: str = ""
    status: str = ComplaintStatus.OPEN.value
    closed_on: dt.date | None = None


def source_of(word: str) -> str:
    source = SOURCE_WORDS.get(word.strip().lower())
    if source is None:
        raise ServiceError(
            f"Origine inconnue « {word} » : stagiaire, employeur, formateur, financeur, "
            "interne ou autre."
        )
    return source


def status_of(word: str) -> str:
    status = STATUS_WORDS.get(word.strip().lower())
    if status is None:
        raise ServiceError(f"Statut inconnu « {word} » : ouverte, en cours ou close.")
    return status


def _apply(session: Session, complaint: Complaint, data: ComplaintData) -> None:
    description = data.description.strip()
    if not description:
        raise ServiceError("Décrivez la réclamation (la description est obligatoire).")
    if data.group_id is not None and session.get(Group, data.group_id) is None:
        raise NotFoundError("groupe", data.group_id)
    status = status_of(data.status)
    closed_on = data.closed_on
    if status == ComplaintStatus.CLOSED.value:
        closed_on = closed_on or now(session).date()
        if closed_on < data.received_on:
            raise ServiceError("La date de clôture ne peut pas précéder la date de réception.")
    else:
        closed_on = None
    complaint.received_on = data.received_on
    complaint.source = source_of(data.source)
    complaint.group_id = data.group_id
    complaint.description = description
    complaint.analysis = data.analysis.strip()
    complaint.action_taken = data.action_taken.strip()
    complaint.person_in_charge = " ".join(data.person_in_charge.split())
    complaint.status = status
    complaint.closed_on = closed_on


def add_complaint(session: Session, data: ComplaintData) -> Complaint:
    complaint = Complaint()
    _apply(session, complaint, data)
    session.add(complaint)
    session.flush()
    return complaint


def get_complaint(session: Session, complaint_id: int) -> Complaint:
    complaint = session.get(Complaint, complaint_id)
    if complaint is None:
        raise NotFoundError("réclamation", complaint_id)
    return complaint


def update_complaint(session: Session, complaint_id: int, data: ComplaintData) -> Complaint:
    complaint = get_complaint(session, complaint_id)
    _apply(session, complaint, data)
    session.flush()
    return complaint


def close_complaint(
    session: Session, complaint_id: int, *, on: dt.date | None = None, action: str = ""
) -> Complaint:
    """Close it (today unless ``on``), with the action taken when given."""
    complaint = get_complaint(session, complaint_id)
    if complaint.status == ComplaintStatus.CLOSED.value:
        raise ServiceError(f"La réclamation n° {complaint_id} est déjà close.")
    data = ComplaintData(
        received_on=complaint.received_on,
        source=complaint.source,
        description=complaint.description,
        group_id=complaint.group_id,
        analysis=complaint.analysis,
        action_taken=action or complaint.action_taken,
        person_in_charge=complaint.person_in_charge,
        status=ComplaintStatus.CLOSED.value,
        closed_on=on or now(session).date(),
    )
    _apply(session, complaint, data)
    session.flush()
    return complaint


@dataclass(frozen=True)
class ComplaintRow:
    id: int
    received_on: dt.date
    source: str
    group_id: int | None
    group: str
    description: str
    analysis: str
    action_taken: str
    person_in_charge: str
    status: str
    closed_on: dt.date | None

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source, self.source)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


def list_complaints(
    session: Session, *, status: str | None = None, group_id: int | None = None
) -> list[ComplaintRow]:
    """Newest first, filtered on a status and a group."""
    stmt = (
        select(Complaint, Group.label, Group.city)
        .outerjoin(Group, Group.id == Complaint.group_id)
        .order_by(Complaint.received_on.desc(), Complaint.id.desc())
    )
    if status is not None:
        stmt = stmt.where(Complaint.status == status_of(status))
    if group_id is not None:
        stmt = stmt.where(Complaint.group_id == group_id)
    return [
        ComplaintRow(
            id=c.id,
            received_on=c.received_on,
            source=c.source,
            group_id=c.group_id,
            group=f"{label} – {city}" if label and city else label or "",
            description=c.description,
            analysis=c.analysis,
            action_taken=c.action_taken,
            person_in_charge=c.person_in_charge,
            status=c.status,
            closed_on=c.closed_on,
        )
        for c, label, city in session.execute(stmt)
    ]


def export_complaints(
    session: Session,
    target: str | Path,
    *,
    status: str | None = None,
    group_id: int | None = None,
    replace_read_only: bool = False,
) -> int:
    """The log in ``target`` (.xlsx, written atomically; text never read as a formula)."""
    path = Path(target)
    if path.suffix.lower() != ".xlsx":
        raise ServiceError(f"Le fichier « {path.name} » doit avoir l'extension .xlsx.")
    rows = list_complaints(session, status=status, group_id=group_id)
    spec = SheetSpec(
        title="Réclamations",
        heading="Réclamations et actions d'amélioration",
        headers=EXPORT_HEADERS,
        rows=[
            [
                r.id,
                r.received_on,
                r.source_label,
                r.group,
                r.description,
                r.analysis,
                r.action_taken,
                r.person_in_charge,
                r.status_label,
                r.closed_on,
            ]
            for r in rows
        ],
        title_lines=[("Édité le", [now(session).date()])],
    )
    write_workbook([spec], path, None, replace_read_only=replace_read_only)
    return len(rows)
