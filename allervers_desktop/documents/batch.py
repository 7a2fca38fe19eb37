"""Prepare documents from the database, then write them as PDF files with progress and cancel.

``prepare_documents`` reads (and numbers certificates) in the caller's session; the result is
plain data that ``PreparedDocuments.paint_on`` paints on a printer or a preview, and that
``write_documents`` writes to PDF from any thread. ``export_documents`` does all three steps
with its own sessions, for a worker thread or the command line."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtGui import QPagedPaintDevice
from sqlalchemy.orm import Session

from allervers_desktop.db.database import Database
from allervers_desktop.documents.attestation import paint_attestation
from allervers_desktop.documents.canvas import Canvas
from allervers_desktop.documents.convocation import paint_convocation
from allervers_desktop.documents.course_sheet import paint_course_sheet
from allervers_desktop.documents.gather import convocations, course_sheet, signin_sheet
from allervers_desktop.documents.issuing import prepare_certificates, record_prints
from allervers_desktop.documents.model import (
    Certificate,
    DocumentError,
    DocumentKind,
    Report,
    SigninSheet,
)
from allervers_desktop.documents.realisation import paint_realisation
from allervers_desktop.documents.render import (
    new_pdf_writer,
    paint_on,
    partial_path,
    render_to_pdf,
)
from allervers_desktop.documents.signin import paint_signin

ProgressCallback = Callable[[int, int], bool]  # (done, total) -> False to cancel
PLURAL_PREFIXES = {
    DocumentKind.SIGNIN: "Feuilles d'émargement",
    DocumentKind.ATTESTATION: "Attestations",
    DocumentKind.REALISATION: "Certificats de réalisation",
    DocumentKind.CONVOCATION: "Convocations",
    DocumentKind.COURSE_SHEET: "Fiche technique",
}
UNSAFE_IN_FILE_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')


@dataclass(frozen=True)
class DocumentRequest:
    """What to print: a kind of document for a group (or a course), maybe a few participants."""

    kind: DocumentKind
    group_id: int | None = None
    course_id: int | None = None
    participant_ids: tuple[int, ...] | None = None
    blank_rows: int = 0  # sign-in sheet: empty rows for walk-ins after the participants
    blank_sheet: bool = False  # sign-in sheet: only empty rows
    days: tuple[dt.date, ...] = ()  # sign-in sheet: these days only
    issued_on: dt.date | None = None  # date of issue printed; today when None


@dataclass(frozen=True)
class DocumentUnit:
    """One participant's document, one day's sign-in sheet, or the whole course sheet."""

    file_stem: str
    paint: Callable[[Canvas], None]
    document_id: int = 0  # IssuedDocument.id of a certificate
    number: str = ""


@dataclass
class PreparedDocuments:
    """Documents ready to paint: plain data, safe to hand to a worker thread."""

    kind: DocumentKind
    title: str
    file_stem: str
    units: list[DocumentUnit]
    report: Report = field(default_factory=Report)

    @property
    def default_file_name(self) -> str:
        """What « Enregistrer en PDF » proposes: « Attestations - Groupe 1.pdf »."""
        if len(self.units) == 1 and self.kind.per_participant:
            return f"{self.units[0].file_stem}.pdf"
        return f"{self.file_stem}.pdf"

    @property
    def document_ids(self) -> list[int]:
        return [unit.document_id for unit in self.units if unit.document_id]

    @property
    def numbers(self) -> list[str]:
        return [unit.number for unit in self.units if unit.number]

    def paint(self, canvas: Canvas) -> None:
        for unit in self.units:
            unit.paint(canvas)

    def paint_on(self, device: QPagedPaintDevice) -> int:
        """Paint every document on a printer or a print preview; return the page count."""
        return paint_on(device, self.paint)


@dataclass
class BatchResult:
    """Files written (none when cancelled), pages, and what the preparation reported."""

    files: list[Path]
    pages: int
    documents: int
    cancelled: bool
    report: Report
    numbers: list[str] = field(default_factory=list)


def safe_file_name(stem: str) -> str:
    """A file name valid on Windows, macOS and Linux; accents are kept."""
    cleaned = UNSAFE_IN_FILE_NAMES.sub("-", stem)
    cleaned = " ".join(cleaned.split()).strip(" .")
    return cleaned[:150] or "document"


def _group_stem(kind: DocumentKind, group_label: str) -> str:
    return f"{PLURAL_PREFIXES[kind]} - {group_label}"


def _certificate_unit(certificate: Certificate) -> DocumentUnit:
    painter = (
        paint_attestation if certificate.kind is DocumentKind.ATTESTATION else paint_realisation
    )
    stem = (
        f"{certificate.kind.file_prefix} - {certificate.participant.full_name} - "
        f"{certificate.group.label}"
    )
    return DocumentUnit(
        stem,
        functools.partial(painter, certificate=certificate),
        certificate.document_id,
        certificate.number,
    )


def _signin_units(sheet: SigninSheet) -> list[DocumentUnit]:
    units = []
    for day in sheet.printed_days:
        one_day = SigninSheet(
            sheet.identity, sheet.group, sheet.participants, sheet.blank_rows, (day,)
        )
        stem = f"{DocumentKind.SIGNIN.file_prefix} - {sheet.group.label} - {day:%Y-%m-%d}"
        units.append(DocumentUnit(stem, functools.partial(paint_signin, sheet=one_day)))
    return units


def prepare_documents(session: Session, request: DocumentRequest) -> PreparedDocuments:
    """Read what the documents print; certificates get their numbers here, so the caller
    commits the session (the same participant keeps the same number afterwards)."""
    kind = request.kind
    if kind is DocumentKind.COURSE_SHEET:
        if request.course_id is None:
            raise DocumentError("Indiquez la formation dont imprimer la fiche technique.")
        sheet = course_sheet(session, request.course_id)
        stem = f"{kind.file_prefix} - {sheet.course.title}"
        unit = DocumentUnit(stem, functools.partial(paint_course_sheet, sheet=sheet))
        return PreparedDocuments(kind, f"Fiche technique – {sheet.course.title}", stem, [unit])
    if request.group_id is None:
        raise DocumentError(f"Indiquez le groupe pour lequel imprimer : {kind.label.lower()}.")
    group_id = request.group_id
    report = Report()
    if kind is DocumentKind.SIGNIN:
        if request.participant_ids:
            raise DocumentError(
                "La feuille d'émargement porte tout le groupe : n'indiquez pas de participant."
            )
        sheet_data = signin_sheet(
            session,
            group_id,
            blank_rows=request.blank_rows,
            blank_sheet=request.blank_sheet,
            days=request.days,
        )
        units = _signin_units(sheet_data)
        label = sheet_data.group.label
        title = f"Feuille d'émargement – {sheet_data.group.title}"
    elif kind.is_certificate:
        certificates, report = prepare_certificates(
            session,
            kind,
            group_id,
            request.participant_ids,
            issued_on=request.issued_on,
        )
        units = [_certificate_unit(certificate) for certificate in certificates]
        label = certificates[0].group.label if certificates else ""
        title = f"{PLURAL_PREFIXES[kind]} – {label}"
    else:
        letters = convocations(session, group_id, request.participant_ids, request.issued_on)
        units = [
            DocumentUnit(
                f"{kind.file_prefix} - {letter.participant.full_name} - {letter.group.label}",
                functools.partial(paint_convocation, convocation=letter),
            )
            for letter in letters
        ]
        label = letters[0].group.label if letters else ""
        title = f"{PLURAL_PREFIXES[kind]} – {label}"
    return PreparedDocuments(kind, title, _group_stem(kind, label), units, report)


class _Cancelled(Exception):
    """Raised inside painting when the progress callback asks to stop."""


def _check(progress: ProgressCallback | None, done: int, total: int) -> None:
    if progress is not None and progress(done, total) is False:
        raise _Cancelled


def _unique(path: Path, taken: set[Path]) -> Path:
    candidate = path
    counter = 1
    while candidate in taken:
        counter += 1
        candidate = path.with_name(f"{path.stem} ({counter}){path.suffix}")
    taken.add(candidate)
    return candidate


def write_documents(
    prepared: PreparedDocuments,
    output: Path,
    *,
    split: bool = False,
    progress: ProgressCallback | None = None,
) -> BatchResult:
    """Write one PDF (``output`` is the file) or one PDF per document (``output`` is a
    folder, created if needed). Runs in any thread once the fonts are loaded. On cancel,
    every file of this run is removed and ``cancelled`` is set."""
    units = prepared.units
    total = len(units)
    if not total:
        raise DocumentError(_nothing_message(prepared))
    output = Path(output)
    written: list[Path] = []
    pages = 0
    try:
        _check(progress, 0, total)
        if split:
            try:
                output.mkdir(parents=False, exist_ok=True)
            except OSError as exc:
                raise DocumentError(
                    f"Le dossier « {output} » ne peut pas être créé : {exc.strerror}."
                ) from exc
            taken: set[Path] = set()
            for index, unit in enumerate(units):
                path = _unique(output / f"{safe_file_name(unit.file_stem)}.pdf", taken)
                pages += render_to_pdf(path, unit.paint, prepared.title)
                written.append(path)
                _check(progress, index + 1, total)
        else:
            pages = _write_one_file(prepared, output, progress)
            written.append(output)
    except _Cancelled:
        for path in written:
            with contextlib.suppress(OSError):
                path.unlink()
        return BatchResult([], 0, 0, True, prepared.report)
    return BatchResult(written, pages, total, False, prepared.report, prepared.numbers)


def _write_one_file(
    prepared: PreparedDocuments, output: Path, progress: ProgressCallback | None
) -> int:
    if not output.parent.is_dir():
        raise DocumentError(f"Le dossier « {output.parent} » n'existe pas.")
    total = len(prepared.units)

    def paint_all(canvas: Canvas) -> None:
        for index, unit in enumerate(prepared.units):
            unit.paint(canvas)
            _check(progress, index + 1, total)

    temporary = partial_path(output)
    try:
        writer = new_pdf_writer(temporary, prepared.title)
        pages = paint_on(writer, paint_all)
        del writer
        temporary.replace(output)
    except OSError as exc:
        raise DocumentError(
            f"Le fichier « {output} » ne peut pas être écrit : {exc.strerror}."
        ) from exc
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
    return pages


def _nothing_message(prepared: PreparedDocuments) -> str:
    message = f"Aucun document à produire ({prepared.kind.label.lower()})."
    if prepared.report.skipped:
        message += "\n" + "\n".join(prepared.report.skipped)
    return message


def export_documents(
    database: Database,
    request: DocumentRequest,
    output: Path,
    *,
    split: bool = False,
    progress: ProgressCallback | None = None,
) -> BatchResult:
    """Prepare (one transaction), write the PDF files, then count the certificates printed
    (another transaction). Opens its own sessions: call it from a worker thread with plain
    arguments, after ``prepare_fonts()`` ran on the GUI thread."""
    with database.transaction() as session:
        prepared = prepare_documents(session, request)
    result = write_documents(prepared, output, split=split, progress=progress)
    if not result.cancelled and prepared.document_ids:
        with database.transaction() as session:
            record_prints(session, prepared.document_ids)
    return result
