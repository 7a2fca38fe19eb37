"""Prepare documents from the database, then write them as PDF files with progress and cancel.

``prepare_documents`` reads (and numbers certificates) in the caller's session; the result is
plain data that ``PreparedDocuments.paint_on`` paints on a printer or a preview, and that
``write_documents`` writes to PDF from any thread. ``export_documents`` does all three steps
with its own sessions, for a worker thread or the command line."""

from __future__ import annotations

import datetime as dt
import functools
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
from allervers_desktop.documents.render import paint_on, render_pdf_bytes
from allervers_desktop.documents.signin import paint_signin
from allervers_desktop.files import names
from allervers_desktop.files.atomic import (
    create_temporary,
    discard_temporary,
    fill_temporary,
    place_temporary,
    prepare_target,
)
from allervers_desktop.files.checks import pdf_check
from allervers_desktop.files.errors import (
    FileWriteError,
    ReadOnlyTargetError,
    is_read_only,
    write_failure,
)
from allervers_desktop.images import drawing_problem
from allervers_desktop.services.settings import DocumentIdentity, get_identity

ProgressCallback = Callable[[int, int], bool]  # (done, total) -> False to cancel
PLURAL_PREFIXES = {
    DocumentKind.SIGNIN: "Feuilles d'émargement",
    DocumentKind.ATTESTATION: "Attestations",
    DocumentKind.REALISATION: "Certificats de réalisation",
    DocumentKind.CONVOCATION: "Convocations",
    DocumentKind.COURSE_SHEET: "Fiche technique",
}


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
    reissue: bool = False  # certificates whose data changed: issue corrected versions


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
            return f"{safe_file_name(self.units[0].file_stem)}.pdf"
        return f"{safe_file_name(self.file_stem)}.pdf"

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
    """A file name valid on Windows, macOS and Linux, short enough (in bytes) for « .pdf »
    and a « (2) » to be added; accents are kept."""
    return names.safe_file_name(stem, "", limit=names.MAX_NAME_BYTES - len(".pdf"))


def split_file_names(prepared: PreparedDocuments) -> list[str]:
    """One file name per document, distinct even when two people have the same name."""
    return names.unique_names(f"{safe_file_name(unit.file_stem)}.pdf" for unit in prepared.units)


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
            reissue=request.reissue,
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
    report.warnings.extend(image_warnings(get_identity(session)))
    return PreparedDocuments(kind, title, _group_stem(kind, label), units, report)


def image_warnings(identity: DocumentIdentity) -> list[str]:
    """A French line for each stored image that cannot be drawn (printed without it)."""
    lines: list[str] = []
    images = (
        (identity.logo, "Le logo", "enregistré", "dessiné"),
        (identity.signature, "La signature", "enregistrée", "dessinée"),
    )
    for image, what, stored, drawn in images:
        problem = drawing_problem(image.content) if image is not None else None
        if image is not None and problem is not None:
            lines.append(
                f"{what} {stored} dans les paramètres (« {image.file_name} ») ne peut pas être "
                f"{drawn} : {problem}. Les documents sont imprimés sans ; choisissez-en une "
                "autre image dans Fichier › Paramètres."
            )
    return lines


class _Cancelled(Exception):
    """Raised inside painting when the progress callback asks to stop."""


def _check(progress: ProgressCallback | None, done: int, total: int) -> None:
    if progress is not None and progress(done, total) is False:
        raise _Cancelled


@dataclass
class _Pending:
    """A PDF written and checked under its temporary name, not yet in place."""

    temporary: Path
    target: Path
    document_ids: list[int]


def check_output(output: Path, *, split: bool, replace_read_only: bool = False) -> None:
    """Refuse an output that cannot be written before anything is numbered: a missing or
    read-only folder, a read-only file (unless ``replace_read_only``), a name too long.
    With ``split``, the folder is created when its parent exists."""
    output = Path(output)
    if split:
        if not output.parent.is_dir():
            raise FileWriteError(f"Le dossier « {output.parent} » n'existe pas.")
        try:
            output.mkdir(exist_ok=True)
        except OSError as exc:
            raise write_failure(exc, output) from exc
        if not output.is_dir():
            raise FileWriteError(f"« {output} » n'est pas un dossier.")
        probe = output / "essai.pdf"
    else:
        probe = prepare_target(output, replace_read_only=replace_read_only)
    discard_temporary(create_temporary(probe))


def _render_one(
    target: Path,
    paint: Callable[[Canvas], None],
    title: str,
    document_ids: list[int],
    replace_read_only: bool,
) -> tuple[_Pending, int]:
    data, pages = render_pdf_bytes(paint, title)
    target = prepare_target(target, replace_read_only=replace_read_only)
    temporary = create_temporary(target)

    def write(path: Path) -> None:
        with path.open("wb") as handle:
            handle.write(data)

    fill_temporary(temporary, target, write, pdf_check(pages, target))
    return _Pending(temporary, target, document_ids), pages


def _render_all(
    prepared: PreparedDocuments,
    output: Path,
    split: bool,
    progress: ProgressCallback | None,
    replace_read_only: bool,
) -> tuple[list[_Pending], int]:
    """Every PDF written and checked under a temporary name, or none: on a failure or a
    cancel, the temporary files are removed and nothing else was touched."""
    units = prepared.units
    total = len(units)
    pending: list[_Pending] = []
    pages = 0
    try:
        _check(progress, 0, total)
        if split:
            targets = [output / name for name in split_file_names(prepared)]
            if not replace_read_only:
                for target in targets:
                    if is_read_only(target):
                        raise ReadOnlyTargetError(target)
            for index, (unit, target) in enumerate(zip(units, targets, strict=True)):
                ids = [unit.document_id] if unit.document_id else []
                one, count = _render_one(target, unit.paint, prepared.title, ids, True)
                pending.append(one)
                pages += count
                _check(progress, index + 1, total)
        else:

            def paint_all(canvas: Canvas) -> None:
                for index, unit in enumerate(units):
                    unit.paint(canvas)
                    _check(progress, index + 1, total)

            one, pages = _render_one(
                output, paint_all, prepared.title, prepared.document_ids, replace_read_only
            )
            pending.append(one)
    except BaseException:
        for item in pending:
            discard_temporary(item.temporary)
        raise
    return pending, pages


def _place_all(pending: list[_Pending]) -> tuple[list[_Pending], FileWriteError | None]:
    """Rename the checked files into place; stop at the first failure (the rest removed)."""
    placed: list[_Pending] = []
    for index, item in enumerate(pending):
        try:
            place_temporary(item.temporary, item.target)
        except FileWriteError as exc:
            for rest in pending[index + 1 :]:
                discard_temporary(rest.temporary)
            if placed:
                exc.message += f" ({len(placed)} fichier(s) sur {len(pending)} écrit(s).)"
            return placed, exc
        placed.append(item)
    return placed, None


def write_documents(
    prepared: PreparedDocuments,
    output: Path,
    *,
    split: bool = False,
    progress: ProgressCallback | None = None,
    replace_read_only: bool = False,
) -> BatchResult:
    """Write one PDF (``output`` is the file) or one PDF per document (``output`` is a
    folder, created if needed). Runs in any thread once the fonts are loaded. Every file is
    checked under a temporary name before any takes its name; on cancel or failure none
    is written (``cancelled`` is set on cancel)."""
    if not prepared.units:
        raise DocumentError(_nothing_message(prepared))
    output = Path(output)
    check_output(output, split=split, replace_read_only=replace_read_only)
    try:
        pending, pages = _render_all(prepared, output, split, progress, replace_read_only)
    except _Cancelled:
        return BatchResult([], 0, 0, True, prepared.report)
    placed, error = _place_all(pending)
    if error is not None:
        raise error
    return _result(prepared, placed, pages)


def _result(prepared: PreparedDocuments, placed: list[_Pending], pages: int) -> BatchResult:
    files = [item.target for item in placed]
    return BatchResult(files, pages, len(prepared.units), False, prepared.report, prepared.numbers)


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
    replace_read_only: bool = False,
) -> BatchResult:
    """Check the output, prepare (one transaction, certificates numbered), write and check
    every PDF under a temporary name, then in one transaction rename them into place and
    count the certificates printed: a document counts only once its file is in place, and a
    failure while writing leaves no file. Opens its own sessions: call it from a worker
    thread with plain arguments, after ``prepare_fonts()`` ran on the GUI thread."""
    output = Path(output)
    check_output(output, split=split, replace_read_only=replace_read_only)
    with database.transaction() as session:
        prepared = prepare_documents(session, request)
    if not prepared.units:
        raise DocumentError(_nothing_message(prepared))
    try:
        pending, pages = _render_all(prepared, output, split, progress, replace_read_only)
    except _Cancelled:
        return BatchResult([], 0, 0, True, prepared.report)
    try:
        with database.transaction() as session:
            session.connection()  # the write lock first: renames and count go together
            placed, error = _place_all(pending)
            printed = [document for item in placed for document in item.document_ids]
            if printed:
                record_prints(session, printed)
    except BaseException:
        for item in pending:
            discard_temporary(item.temporary)
        raise
    if error is not None:
        raise error
    return _result(prepared, placed, pages)
