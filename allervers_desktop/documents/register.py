"""« Journal des documents »: every version of every numbered document, and its Excel export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from allervers_desktop.db.models import (
    Course,
    DocumentState,
    Enrollment,
    Group,
    IssuedDocument,
    Participant,
)
from allervers_desktop.documents.model import DocumentKind
from allervers_desktop.excel.progress import Progress
from allervers_desktop.excel.xlsx_writing import (
    DATE_FORMAT,
    HOURS_FORMAT,
    ExportValue,
    SheetSpec,
    write_workbook,
)

STATE_LABELS = {DocumentState.VALID.value: "valide", DocumentState.CANCELLED.value: "annulé"}
LEGACY_LABEL = "contenu antérieur au journal"
EXPORT_HEADERS = [
    "N°",
    "Document",
    "Participant",
    "Groupe",
    "Formation",
    "Heures",
    "Date de délivrance",
    "Antidaté",
    "Créé le",
    "État",
    "Annulé le",
    "Remplace",
    "Remplacé par",
    "Impressions",
    "Dernière impression",
    "Contenu",
]


@dataclass(frozen=True)
class RegisterEntry:
    """One version in the register."""

    document_id: int
    kind: DocumentKind
    number: str
    participant_name: str
    group_id: int
    group_label: str
    course_title: str
    hours_attended: float
    issued_on: dt.date  # the date printed
    created_at: dt.datetime  # when it was really issued
    backdated: bool
    state: str  # valid | cancelled
    cancelled_at: dt.datetime | None
    replaces: str  # number of the version it cancels, or ""
    replaced_by: str  # number of the version that cancels it, or ""
    print_count: int
    last_printed_at: dt.datetime
    legacy: bool  # issued before the register: content not kept

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)

    @property
    def is_valid(self) -> bool:
        return self.state == DocumentState.VALID.value


def document_register(
    session: Session, group_id: int | None = None, kind: DocumentKind | None = None
) -> list[RegisterEntry]:
    """Every version, in the order issued (then by number)."""
    newer = aliased(IssuedDocument)
    older = aliased(IssuedDocument)
    stmt = (
        select(
            IssuedDocument,
            Participant.last_name,
            Participant.first_name,
            Group.id,
            Group.label,
            Course.title,
            older.number,
            newer.number,
        )
        .join(Enrollment, IssuedDocument.enrollment_id == Enrollment.id)
        .join(Participant, Enrollment.participant_id == Participant.id)
        .join(Group, Enrollment.group_id == Group.id)
        .join(Course, Group.course_id == Course.id)
        .outerjoin(older, IssuedDocument.replaces_id == older.id)
        .outerjoin(newer, newer.replaces_id == IssuedDocument.id)
        .order_by(IssuedDocument.first_issued_at, IssuedDocument.number)
    )
    if group_id is not None:
        stmt = stmt.where(Enrollment.group_id == group_id)
    if kind is not None:
        stmt = stmt.where(IssuedDocument.kind == kind.value)
    return [
        RegisterEntry(
            document_id=document.id,
            kind=DocumentKind(document.kind),
            number=document.number,
            participant_name=f"{last.upper()} {first}".strip(),
            group_id=group,
            group_label=label,
            course_title=title,
            hours_attended=document.hours_attended,
            issued_on=document.issued_on,
            created_at=document.first_issued_at,
            backdated=document.backdated,
            state=document.state,
            cancelled_at=document.cancelled_at,
            replaces=replaces or "",
            replaced_by=replaced_by or "",
            print_count=document.print_count,
            last_printed_at=document.last_printed_at,
            legacy=document.content is None,
        )
        for document, last, first, group, label, title, replaces, replaced_by in session.execute(
            stmt
        )
    ]


def register_spec(
    entries: list[RegisterEntry], title_lines: list[tuple[str, list[ExportValue]]]
) -> SheetSpec:
    rows: list[list[ExportValue]] = [
        [
            entry.number,
            entry.kind.label,
            entry.participant_name,
            entry.group_label,
            entry.course_title,
            dt.timedelta(minutes=round(entry.hours_attended * 60)),
            entry.issued_on,
            "oui" if entry.backdated else "",
            entry.created_at,
            entry.state_label,
            entry.cancelled_at,
            entry.replaces,
            entry.replaced_by,
            entry.print_count,
            entry.last_printed_at if entry.print_count else None,
            LEGACY_LABEL if entry.legacy else "",
        ]
        for entry in entries
    ]
    return SheetSpec(
        title="Journal des documents",
        heading="Journal des documents",
        headers=list(EXPORT_HEADERS),
        rows=rows,
        title_lines=title_lines,
        formats={
            5: HOURS_FORMAT,
            6: DATE_FORMAT,
            8: "DD/MM/YYYY HH:MM",
            10: "DD/MM/YYYY HH:MM",
            14: "DD/MM/YYYY HH:MM",
        },
        landscape=True,
    )


def export_register(
    session: Session,
    target: Path,
    group_id: int | None = None,
    progress: Progress | None = None,
    replace_read_only: bool = False,
) -> int:
    """Write the register (of one group, or all of it) to ``target`` (.xlsx, atomically);
    return the number of rows."""
    entries = document_register(session, group_id)
    lines: list[tuple[str, list[ExportValue]]] = [("Extrait le", [dt.date.today()])]
    if group_id is not None:
        group = session.get(Group, group_id)
        if group is not None:
            lines.append(
                ("Groupe", [f"{group.label} – {group.city}" if group.city else group.label])
            )
    lines.append(("Versions", [len(entries)]))
    write_workbook(
        [register_spec(entries, lines)], Path(target), progress, replace_read_only=replace_read_only
    )
    return len(entries)
