"""The « Documents » menu: preview, print and save as PDF the documents of a group.

The plain functions (``preview_documents``, ``print_documents``, ``save_documents``…) do the
work and are what tests call; ``DocumentMenu`` only turns the group shown in the Groupes tab
(and the participants selected in it) into ``DocumentRequest``s. The document and printing
modules are imported when first used, and the menu fills itself when first opened, so that
the window can create it at start-up for nothing.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QMenu, QWidget
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from allervers_desktop import APP_DISPLAY_NAME
from allervers_desktop.db.models import Enrollment, Group
from allervers_desktop.files.errors import os_reason
from allervers_desktop.services.deletion import plural
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.ui.prompts import confirm_replace_read_only
from allervers_desktop.ui.tasks import BackgroundTask, ProgressCallback, run_in_background

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtPrintSupport import QPrinter

    from allervers_desktop.documents.batch import BatchResult, DocumentRequest, PreparedDocuments
    from allervers_desktop.documents.model import DocumentKind
    from allervers_desktop.ui.context import AppContext

PDF_FILTER = "Document PDF (*.pdf)"
DIRECTORY_KEY = "documents/directory"
OPEN_FILE, OPEN_FOLDER, CLOSE = "Ouvrir le fichier", "Ouvrir le dossier", "Fermer"
OPEN_PROVIDER = "Compléter la fiche de l'organisme…"
CONTINUE, CANCEL = "Continuer quand même", "Annuler"
REISSUE, REPRINT = "Réémettre une version corrigée", "Réimprimer à l'identique"
DATED_PDF = "Enregistrer en PDF avec une date de délivrance…"
SENT_PDF = "Enregistrer en PDF avec une date d'envoi…"
DEFAULT_BLANK_ROWS = 15
MAX_BLANK_ROWS = 200
LISTED_NUMBERS = 3
NO_GROUP = "Sélectionnez un groupe dans l'onglet Groupes"

# Keyed by DocumentKind values (a StrEnum: its members look these up directly), so that
# importing this module does not load the document package.
SIGNIN = "signin"
MENU_TITLES = {
    SIGNIN: "Feuilles d'émargement",
    "attestation": "Attestations de présence",
    "realisation": "Certificats de réalisation",
    "convocation": "Convocations",
}
NOUNS = {  # singular, plural: « 10 attestations »
    SIGNIN: ("feuille d'émargement", "feuilles d'émargement"),
    "attestation": ("attestation", "attestations"),
    "realisation": ("certificat de réalisation", "certificats de réalisation"),
    "convocation": ("convocation", "convocations"),
    "course-sheet": ("fiche technique", "fiches techniques"),
}

_log = logging.getLogger(__name__)


class Operation(enum.Enum):
    """What to do with the documents."""

    PREVIEW = "Aperçu avant impression…"
    PRINT = "Imprimer…"
    PDF = "Enregistrer en PDF…"
    SPLIT = "Un PDF par participant…"

    def label(self, kind: DocumentKind) -> str:
        if self is Operation.SPLIT and kind == SIGNIN:
            return "Un PDF par journée…"
        return self.value


def documents_noun(kind: DocumentKind, count: int) -> str:
    """« 1 attestation », « 10 attestations »."""
    singular, plural_form = NOUNS[kind]
    return plural(count, singular, plural_form)


# --- requests --------------------------------------------------------------------------------
def participant_ids_of(app: AppContext, group_id: int, enrollment_ids: list[int]) -> list[int]:
    """The participants of these enrollments of the group, in the order given."""
    if not enrollment_ids:
        return []
    with app.database.session() as session:
        rows: dict[int, int] = {
            enrollment_id: participant_id
            for enrollment_id, participant_id in session.execute(
                select(Enrollment.id, Enrollment.participant_id).where(
                    Enrollment.id.in_(enrollment_ids), Enrollment.group_id == group_id
                )
            )
        }
    return [rows[enrollment_id] for enrollment_id in enrollment_ids if enrollment_id in rows]


def group_request(
    app: AppContext,
    kind: DocumentKind,
    group_id: int,
    enrollment_ids: list[int] | None = None,
    **options: Any,
) -> DocumentRequest:
    """The documents of a group, or of the selected participants only (the sign-in sheet
    always lists the whole group)."""
    from allervers_desktop.documents.batch import DocumentRequest

    participant_ids: tuple[int, ...] | None = None
    if enrollment_ids and kind != SIGNIN:
        participant_ids = tuple(participant_ids_of(app, group_id, enrollment_ids))
    return DocumentRequest(kind, group_id=group_id, participant_ids=participant_ids, **options)


def course_sheet_request(course_id: int) -> DocumentRequest:
    from allervers_desktop.documents.batch import DocumentRequest
    from allervers_desktop.documents.model import DocumentKind

    return DocumentRequest(DocumentKind.COURSE_SHEET, course_id=course_id)


def ask_blank_rows(app: AppContext) -> int | None:
    """How many empty rows the blank sign-in sheets get; None when cancelled or invalid."""
    answer = app.prompts.ask_text(
        app.window,
        "Feuilles vierges",
        f"Nombre de lignes vierges par feuille, pour les participants non inscrits "
        f"(1 à {MAX_BLANK_ROWS} ; vide : {DEFAULT_BLANK_ROWS}) :",
    )
    if answer is None:
        return None
    text = answer.strip()
    if not text:
        return DEFAULT_BLANK_ROWS
    if not text.isdigit() or not 1 <= int(text) <= MAX_BLANK_ROWS:
        app.prompts.error(
            app.window,
            "Feuilles vierges",
            f"« {text} » n'est pas un nombre de lignes valable : "
            f"indiquez un nombre entier de 1 à {MAX_BLANK_ROWS}.",
        )
        return None
    return int(text)


# --- checks before printing ------------------------------------------------------------------
def identity_ready(app: AppContext, request: DocumentRequest) -> bool:
    """Attestations and certificats are issued by the course's training provider (see
    ``documents.model.ISSUERS``): when its identity is incomplete, say what is missing and
    offer to fill it in. False when the user gave up."""
    from allervers_desktop.documents.gather import provider_info
    from allervers_desktop.documents.issuing import provider_missing_fields
    from allervers_desktop.services.groups import get_group

    if not request.kind.is_certificate or request.group_id is None:
        return True
    while True:
        with app.database.session() as session:
            provider = get_group(session, request.group_id).course.provider
            missing = provider_missing_fields(provider_info(provider))
            provider_id = provider.id if provider is not None else None
            name = provider.name if provider is not None else ""
        if not missing:
            return True
        who = f"L'organisme de formation « {name} »" if name else "L'organisme de formation"
        answer = app.prompts.choose(
            app.window,
            "Organisme de formation incomplet",
            f"{who} délivre les {NOUNS[request.kind][1]} ; sa fiche est incomplète. "
            f"Il manque : {', '.join(missing)}.",
            [OPEN_PROVIDER, CONTINUE, CANCEL],
        )
        if answer != OPEN_PROVIDER:
            return answer == CONTINUE
        if provider_id is None:
            app.prompts.inform(
                app.window,
                "Organisme de formation",
                "La formation de ce groupe n'a pas d'organisme de formation : choisissez-le "
                "dans sa fiche (onglet Formations, « Modifier… »).",
            )
            continue
        from allervers_desktop.ui.forms.provider_form import ProviderForm

        app.prompts.run_dialog(ProviderForm(app.database, app.prompts, provider_id, app.window))


def ask_reissue(app: AppContext, request: DocumentRequest) -> DocumentRequest | None:
    """When documents of the request were issued before their data changed, ask whether to
    reprint them as issued or to issue corrected versions; None when the user gave up."""
    from dataclasses import replace

    from allervers_desktop.documents.issuing import changed_documents

    if not request.kind.is_certificate or request.group_id is None or request.reissue:
        return request
    try:
        with app.database.session() as session:
            changed = changed_documents(
                session,
                request.kind,
                request.group_id,
                request.participant_ids,
            )
    except ServiceError:
        return request  # the preparation says what is wrong
    if not changed:
        return request
    noun = documents_noun(request.kind, len(changed))
    lines = "\n".join(f"• {change.line}" for change in changed[:10])
    more = f"\n… et {len(changed) - 10} autre(s)" if len(changed) > 10 else ""
    answer = app.prompts.choose(
        app.window,
        "Données modifiées depuis la délivrance",
        f"Les données ont changé depuis la délivrance de {noun} :\n{lines}{more}\n\n"
        "« Réimprimer à l'identique » redonne les documents tels qu'ils ont été délivrés. "
        "« Réémettre une version corrigée » leur donne un nouveau numéro, avec la mention "
        "« Annule et remplace le n° … », et marque l'ancien annulé dans le journal.",
        [REISSUE, REPRINT, CANCEL],
    )
    if answer == REISSUE:
        return replace(request, reissue=True)
    if answer == REPRINT:
        return request
    return None


def _nothing_message(prepared: PreparedDocuments) -> str:
    message = f"Aucun document à produire ({prepared.kind.label.lower()})."
    if prepared.report.lines:
        message += "\n\n" + "\n".join(prepared.report.lines)
    return message


def prepare(app: AppContext, request: DocumentRequest, *, keep: bool) -> PreparedDocuments | None:
    """Read the documents on the GUI thread. ``keep`` commits the certificate numbers (the
    pages painted show them); otherwise the session is rolled back, nothing is numbered yet.
    None, after telling the user, when there is nothing to produce."""
    from allervers_desktop.documents.batch import prepare_documents

    title = request.kind.label
    if keep:
        done = app.operations.write(app.window, title, lambda s: prepare_documents(s, request))
    else:

        def draft(session: Session) -> PreparedDocuments:
            prepared = prepare_documents(session, request)
            session.rollback()  # nothing numbered yet
            return prepared

        done = app.operations.read(app.window, title, draft)
    if done is None:
        return None
    prepared = done.value
    if not prepared.units:
        app.prompts.inform(app.window, title, _nothing_message(prepared))
        return None
    return prepared


def _fonts_ready(app: AppContext) -> bool:
    from allervers_desktop.documents.fonts import prepare_fonts
    from allervers_desktop.documents.model import DocumentError

    try:
        prepare_fonts()
    except DocumentError as exc:
        app.prompts.error(app.window, "Documents", exc.message)
        return False
    return True


def _show_report(app: AppContext, prepared: PreparedDocuments) -> None:
    if prepared.report.lines:
        app.prompts.inform(app.window, "À noter", "\n".join(prepared.report.lines))


def failure_message(error: BaseException, target: str) -> str:
    """What went wrong, in French, while writing ``target``."""
    if isinstance(error, ServiceError):
        return error.message
    if isinstance(error, OSError):
        return f"« {target} » n'a pas pu être écrit : {os_reason(error)}."
    return (
        f"« {target} » n'a pas pu être produit à cause d'une erreur inattendue "
        f"({error.__class__.__name__} : {error})."
    )


def _report_failure(app: AppContext, title: str, error: BaseException, target: str) -> None:
    if not isinstance(error, ServiceError | OSError):
        _log.error("Documents : %s", target, exc_info=error)
    app.status("", 0)
    app.prompts.error(app.window, title, failure_message(error, target))


def numbers_line(numbers: list[str]) -> str:
    """« N° ATT-2023-0001. » or « N° ATT-2023-0001 à ATT-2023-0010 (10 numéros). »."""
    if not numbers:
        return ""
    ordered = sorted(numbers)
    if len(ordered) <= LISTED_NUMBERS:
        return "N° " + ", ".join(ordered) + "."
    return f"N° {ordered[0]} à {ordered[-1]} ({len(ordered)} numéros)."


def _record_prints(app: AppContext, prepared: PreparedDocuments, pages: int) -> None:
    """After a print: count it in the certificate log and say what went to the printer."""
    from allervers_desktop.documents.issuing import record_prints

    ids = prepared.document_ids
    if ids:
        done = app.operations.write(app.window, "Impression", lambda s: record_prints(s, ids))
        if done is None:
            return
    app.status(
        f"Impression envoyée : {documents_noun(prepared.kind, len(prepared.units))}, "
        f"{plural(pages, 'page')}.",
        10000,
    )


# --- preview and print -----------------------------------------------------------------------
def new_printer(title: str) -> QPrinter:
    """A high-resolution printer set to A4, named after the document."""
    from PySide6.QtPrintSupport import QPrinter

    from allervers_desktop.documents.render import use_a4

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    printer.setCreator(APP_DISPLAY_NAME)
    use_a4(printer)
    return printer


def preview_documents(app: AppContext, request: DocumentRequest) -> bool:
    """« Aperçu avant impression »: the pages as they will print; True when they were
    printed from the preview (the certificates' prints are then counted)."""
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    from allervers_desktop.documents.render import use_a4

    if not identity_ready(app, request):
        return False
    asked = ask_reissue(app, request)
    if asked is None:
        return False
    request = asked
    prepared = prepare(app, request, keep=True)
    if prepared is None or not _fonts_ready(app):
        return False
    _show_report(app, prepared)
    printer = new_printer(prepared.title)
    dialog = QPrintPreviewDialog(printer, app.window)
    dialog.setWindowTitle(f"Aperçu avant impression – {prepared.title}")
    dialog.resize(max(app.window.width() * 3 // 4, 700), max(app.window.height() - 40, 600))
    pages: list[int] = []
    errors: list[str] = []
    kept: list[bool] = []  # printing to a read-only file the user chose to keep

    def paint(device: QPrinter) -> None:
        use_a4(device)
        target = _pdf_file_printed(device)
        temporary = _print_to_temporary(app, device, target)
        if target is not None and temporary is None:
            kept.append(True)  # nothing painted: no file is written
            return
        try:
            pages.append(prepared.paint_on(device))
            if target is not None and temporary is not None:  # checked, then renamed
                from allervers_desktop.files.atomic import fill_temporary, place_temporary
                from allervers_desktop.files.checks import pdf_check

                fill_temporary(temporary, target, lambda _path: None, pdf_check(pages[-1], target))
                place_temporary(temporary, target)
        except ServiceError as exc:
            _discard(temporary)
            errors.append(exc.message)

    dialog.paintRequested.connect(paint)
    printed = app.prompts.run_dialog(dialog)
    dialog.deleteLater()
    if errors:
        app.prompts.error(app.window, "Aperçu avant impression", errors[-1])
        return False
    if kept:
        return False
    if printed:
        _record_prints(app, prepared, pages[-1] if pages else 0)
    return printed


def _pdf_file_printed(device: QPrinter) -> Path | None:
    """The PDF file a printer is about to write (« Imprimer dans un fichier »), None when it
    paints for the screen (the preview's pages) or for a real printer."""
    from PySide6.QtGui import QPaintEngine
    from PySide6.QtPrintSupport import QPrinter

    engine = device.paintEngine()
    if (
        device.outputFormat() == QPrinter.OutputFormat.PdfFormat
        and device.outputFileName()
        and (engine is None or engine.type() != QPaintEngine.Type.Picture)
    ):
        return Path(device.outputFileName())
    return None


class PrintInterrupted(Exception):
    """The user cancelled while pages were being sent to the printer."""


def paint_with_progress(
    prepared: PreparedDocuments, printer: QPrinter, progress: ProgressCallback
) -> int:
    """Paint every document on the printer (any thread), reporting each one; return pages.
    On cancel the print run is aborted where the printer allows it."""
    from allervers_desktop.documents.canvas import Canvas
    from allervers_desktop.documents.render import paint_on

    units = prepared.units
    total = len(units)

    def paint_all(canvas: Canvas) -> None:
        progress(0, total)
        for index, unit in enumerate(units):
            unit.paint(canvas)
            if not progress(index + 1, total) and index + 1 < total:
                printer.abort()
                raise PrintInterrupted

    return paint_on(printer, paint_all)


def print_documents(app: AppContext, request: DocumentRequest) -> BackgroundTask | None:
    """« Imprimer »: choose the printer, then send the pages from a worker thread."""
    from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter

    from allervers_desktop.documents.render import use_a4

    if not identity_ready(app, request):
        return None
    asked = ask_reissue(app, request)
    if asked is None:
        return None
    request = asked
    prepared = prepare(app, request, keep=True)
    if prepared is None or not _fonts_ready(app):
        return None
    _show_report(app, prepared)
    printer = new_printer(prepared.title)
    dialog = QPrintDialog(printer, app.window)
    dialog.setWindowTitle(f"Imprimer – {prepared.title}")
    option = QAbstractPrintDialog.PrintDialogOption
    dialog.setOptions(option.PrintToFile | option.PrintShowPageSize | option.PrintCollateCopies)
    accepted = app.prompts.run_dialog(dialog)
    dialog.deleteLater()
    if not accepted:
        return None
    use_a4(printer)
    to_file = (
        Path(printer.outputFileName())
        if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName()
        else None
    )
    temporary = _print_to_temporary(app, printer, to_file)
    if to_file is not None and temporary is None:
        return None
    noun = documents_noun(prepared.kind, len(prepared.units))

    def work(progress: ProgressCallback) -> int:
        from allervers_desktop.files.atomic import fill_temporary, place_temporary
        from allervers_desktop.files.checks import pdf_check

        pages = paint_with_progress(prepared, printer, progress)
        if to_file is not None and temporary is not None:  # checked, then renamed
            fill_temporary(temporary, to_file, lambda _path: None, pdf_check(pages, to_file))
            place_temporary(temporary, to_file)
        return pages

    def done(pages: int) -> None:
        _record_prints(app, prepared, pages)

    def failed(error: BaseException) -> None:
        _discard(temporary)
        _report_failure(app, "Impression", error, prepared.title)

    def cancelled() -> None:
        if to_file is not None:
            _discard(temporary)
            app.status("Impression annulée : aucun fichier n'a été écrit.", 10000)
            return
        app.prompts.inform(
            app.window,
            "Impression annulée",
            "Impression interrompue : les pages déjà préparées ont pu partir à l'imprimante. "
            "Le journal des documents ne compte pas cette impression.",
        )

    return run_in_background(
        app.window, "Impression", f"Impression : {noun}…", work, done, failed, cancelled
    )


def _print_to_temporary(app: AppContext, printer: QPrinter, target: Path | None) -> Path | None:
    """« Imprimer dans un fichier »: the printer writes a hidden temporary file beside the
    target (renamed once complete and checked). None when there is no file, or when the
    target cannot be written (the user was told) or is read-only and was kept."""
    from allervers_desktop.files.atomic import create_temporary, prepare_target

    if target is None:
        return None
    replace = confirm_replace_read_only(app.prompts, app.window, [target])
    if replace is None:
        return None
    try:
        temporary = create_temporary(prepare_target(target, replace_read_only=replace))
    except ServiceError as exc:
        app.prompts.error(app.window, "Impression", exc.message)
        return None
    printer.setOutputFileName(str(temporary))
    return temporary


def _discard(temporary: Path | None) -> None:
    from allervers_desktop.files.atomic import discard_temporary

    if temporary is not None:
        discard_temporary(temporary)


# --- PDF files -------------------------------------------------------------------------------
def _documents_folder(app: AppContext) -> Path:
    remembered = app.settings.value(DIRECTORY_KEY, "")
    folder = Path(str(remembered)) if remembered else None
    if folder is None or not folder.is_dir():
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        folder = Path(documents) if documents and Path(documents).is_dir() else Path.home()
    return folder


def with_pdf_suffix(path: Path) -> Path:
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


def _ask_output(
    app: AppContext, prepared: PreparedDocuments, split: bool
) -> tuple[Path, bool] | None:
    """The file (or, with ``split``, the folder) to write, and whether read-only files may
    be replaced; None when the user gave up."""
    from allervers_desktop.documents.batch import split_file_names

    if not split:
        chosen = app.prompts.save_file(
            app.window,
            f"Enregistrer en PDF – {prepared.title}",
            str(_documents_folder(app) / prepared.default_file_name),
            PDF_FILTER,
        )
        if not chosen:
            return None
        target = with_pdf_suffix(Path(chosen))
        replace = confirm_replace_read_only(app.prompts, app.window, [target])
        return None if replace is None else (target, replace)
    each = "journée" if prepared.kind == SIGNIN else "participant"
    folder_text = app.prompts.choose_directory(
        app.window, f"Dossier où enregistrer un PDF par {each}"
    )
    if not folder_text:
        return None
    folder = Path(folder_text)
    names = split_file_names(prepared)
    existing = [name for name in names if (folder / name).exists()]
    if existing and not app.prompts.confirm(
        app.window,
        "Remplacer des fichiers ?",
        f"{plural(len(existing), 'fichier existe', 'fichiers existent')} déjà dans "
        f"« {folder} » et {'sera remplacé' if len(existing) == 1 else 'seront remplacés'}.",
        "\n".join(existing[:10]) + ("\n…" if len(existing) > 10 else ""),
    ):
        return None
    replace = confirm_replace_read_only(
        app.prompts, app.window, [folder / name for name in existing]
    )
    return None if replace is None else (folder, replace)


def saved_message(result: BatchResult, kind: DocumentKind, output: Path, split: bool) -> str:
    """What the « Documents enregistrés » box says, report included."""
    noun = documents_noun(kind, result.documents)
    pages = plural(result.pages, "page")
    if split:
        files = plural(len(result.files), "fichier PDF", "fichiers PDF")
        lines = [f"{files} dans « {output} » : {noun}, {pages}."]
    else:
        lines = [f"« {output.name} » : {noun}, {pages}.", f"Dossier : {output.parent}"]
    numbers = numbers_line(result.numbers)
    if numbers:
        lines.append(numbers)
    if result.report.lines:
        lines += ["", "À noter :", *(f"• {line}" for line in result.report.lines)]
    return "\n".join(lines)


def save_documents(
    app: AppContext, request: DocumentRequest, *, split: bool = False
) -> BackgroundTask | None:
    """« Enregistrer en PDF » (one file) or « Un PDF par participant » (a folder): ask where,
    write off the GUI thread with progress and cancel, then offer to open the result."""
    from allervers_desktop.documents import batch

    if not identity_ready(app, request):
        return None
    asked = ask_reissue(app, request)
    if asked is None:
        return None
    request = asked
    draft = prepare(app, request, keep=False)
    if draft is None:
        return None
    answer = _ask_output(app, draft, split)
    if answer is None or not _fonts_ready(app):
        return None
    output, replace = answer
    database = app.database
    kind = request.kind
    target = output.name
    title = "Enregistrer en PDF"

    def work(progress: ProgressCallback) -> BatchResult:
        return batch.export_documents(
            database, request, output, split=split, progress=progress, replace_read_only=replace
        )

    def cancelled() -> None:
        app.status("Enregistrement annulé : aucun fichier n'a été écrit.", 10000)

    def done(result: BatchResult) -> None:
        if result.cancelled:
            cancelled()
            return
        app.settings.setValue(DIRECTORY_KEY, str(output if split else output.parent))
        message = saved_message(result, kind, output, split)
        app.status(message.splitlines()[0], 10000)
        choices = [OPEN_FOLDER, CLOSE] if split else [OPEN_FILE, OPEN_FOLDER, CLOSE]
        answer = app.prompts.choose(
            app.window, "Documents enregistrés", message, choices, result=True
        )
        if answer == OPEN_FILE:
            app.prompts.open_path(output)
        elif answer == OPEN_FOLDER:
            app.prompts.open_path(output if split else output.parent)

    def failed(error: BaseException) -> None:
        _report_failure(app, title, error, target)

    label = f"Écriture de « {target} »…"
    return run_in_background(app.window, title, label, work, done, failed, cancelled)


def save_course_sheet(app: AppContext, course_id: int) -> BackgroundTask | None:
    """« Fiche technique de la formation » as a PDF file."""
    return save_documents(app, course_sheet_request(course_id))


def ask_issue_date(
    app: AppContext, kind: DocumentKind, group_id: int | None = None
) -> dt.date | None:
    """The issue date dialog (backdating is off until ticked), or for convocations the sending
    date (at the latest the group's first day); None when cancelled."""
    from allervers_desktop.documents.model import DocumentKind
    from allervers_desktop.ui.issue_date_dialog import IssueDateDialog

    first_day: dt.date | None = None
    if kind is DocumentKind.CONVOCATION and group_id is not None:
        with app.database.session() as session:
            group = session.get(Group, group_id)
            first_day = min(group.dates) if group is not None and group.dates else None
    today = app.database.clock.now().date()
    dialog = IssueDateDialog(NOUNS[kind][1], today, app.window, first_day=first_day)
    accepted = app.prompts.run_dialog(dialog)
    dialog.deleteLater()
    return dialog.issue_date() if accepted else None


def save_with_issue_date(app: AppContext, request: DocumentRequest) -> BackgroundTask | None:
    """« Enregistrer en PDF avec une date de délivrance… »: the documents issued now carry
    the chosen date, recorded as backdated in the register when it is before today."""
    from dataclasses import replace

    when = ask_issue_date(app, request.kind, request.group_id)
    if when is None:
        return None
    return save_documents(app, replace(request, issued_on=when))


def show_certificate_log(app: AppContext, group_id: int | None = None) -> bool:
    """« Journal des documents », opened on the group's documents when one is given."""
    from allervers_desktop.ui import excel_actions
    from allervers_desktop.ui.certificate_log import CertificateLogDialog

    label = ""
    if group_id is not None:
        with app.database.session() as session:
            group = session.get(Group, group_id)
            label = group.label if group is not None else ""

    def export(shown_group_id: int | None) -> object:
        return excel_actions.export_document_register(app, shown_group_id)

    dialog = CertificateLogDialog(app.database, app.window, group_id, label, export)
    accepted = app.prompts.run_dialog(dialog)
    dialog.deleteLater()
    return accepted


def run_operation(
    app: AppContext, request: DocumentRequest, operation: Operation
) -> BackgroundTask | None:
    """Do ``operation`` with the documents of ``request``; the task when work goes on."""
    if operation is Operation.PREVIEW:
        preview_documents(app, request)
        return None
    if operation is Operation.PRINT:
        return print_documents(app, request)
    return save_documents(app, request, split=operation is Operation.SPLIT)


# --- the menu --------------------------------------------------------------------------------
class DocumentMenu(QMenu):
    """« Documents » for the group shown in the Groupes tab (or its selected participants).

    One menu can serve both the menu bar and a button of the Groupes tab. The window calls
    ``set_group`` when the group changes; ``selection`` gives the enrollments selected in
    that group's list (the window connects the Groupes tab's). The entries are built when the menu
    is first opened (or by ``ensure_built``)."""

    def __init__(
        self,
        app: AppContext,
        parent: QWidget | None = None,
        selection: Callable[[], list[int]] | None = None,
    ) -> None:
        super().__init__("D&ocuments", parent if parent is not None else app.window)
        self.setObjectName("documents_menu")
        self.app = app
        self.selection = selection
        self.group_id: int | None = None
        self.task: BackgroundTask | None = None
        self.scope_action = self.addAction(NO_GROUP)
        self.scope_action.setEnabled(False)
        self.kind_menus: dict[DocumentKind, QMenu] = {}
        self.operation_actions: dict[tuple[DocumentKind, Operation], QAction] = {}
        self.blank_actions: dict[Operation, QAction] = {}
        self.dated_actions: dict[DocumentKind, QAction] = {}
        self._built = False
        self.aboutToShow.connect(self.refresh_scope)

    def ensure_built(self) -> None:
        """Create the entries (and load the document modules) the first time."""
        if self._built:
            return
        from allervers_desktop.documents.model import DocumentKind

        self._built = True
        self.addSeparator()
        for value in MENU_TITLES:
            kind = DocumentKind(value)
            submenu = self.addMenu(MENU_TITLES[kind])
            self.kind_menus[kind] = submenu
            for operation in Operation:
                action = submenu.addAction(operation.label(kind))
                action.triggered.connect(lambda _checked=False, k=kind, o=operation: self.run(k, o))
                self.operation_actions[(kind, operation)] = action
            if kind.is_certificate or kind is DocumentKind.CONVOCATION:
                dated = submenu.addAction(DATED_PDF if kind.is_certificate else SENT_PDF)
                dated.triggered.connect(lambda _checked=False, k=kind: self.run_dated(k))
                self.dated_actions[kind] = dated
        self.signin_menu = self.kind_menus[DocumentKind.SIGNIN]
        self.signin_menu.addSeparator()
        self.blank_menu = self.signin_menu.addMenu("Feuilles vierges (participants non inscrits)")
        for operation in (Operation.PREVIEW, Operation.PRINT, Operation.PDF):
            action = self.blank_menu.addAction(operation.value)
            action.triggered.connect(lambda _checked=False, o=operation: self.run_blank(o))
            self.blank_actions[operation] = action
        self.addSeparator()
        self.course_sheet_action = self.addAction("Fiche technique de la formation…")
        self.course_sheet_action.triggered.connect(self.save_course_sheet)
        self.log_action = self.addAction("Journal des documents…")
        self.log_action.triggered.connect(self.show_log)
        self._enable()

    def set_group(self, group_id: int | None) -> None:
        """The group the documents are for; without one, only the log is available."""
        self.group_id = group_id
        self._enable()

    def _enable(self) -> None:
        if not self._built:
            return
        enabled = self.group_id is not None
        for submenu in self.kind_menus.values():
            submenu.menuAction().setEnabled(enabled)
        self.course_sheet_action.setEnabled(enabled)

    def selected_enrollment_ids(self) -> list[int]:
        if self.group_id is None:
            return []
        return self.selection() if self.selection is not None else []

    def scope_text(self) -> str:
        """First line of the menu: which group, everyone or the selected participants."""
        from allervers_desktop.services.groups import ACTIVE_STATUSES

        if self.group_id is None:
            return NO_GROUP
        with self.app.database.session() as session:
            group = session.get(Group, self.group_id)
            if group is None:
                return "Groupe introuvable"
            enrolled = (
                session.scalar(
                    select(func.count()).where(
                        Enrollment.group_id == group.id, Enrollment.status.in_(ACTIVE_STATUSES)
                    )
                )
                or 0
            )
            name = f"{group.label} – {group.city}" if group.city else group.label
        selected = len(self.selected_enrollment_ids())
        if selected:
            chosen = plural(selected, "participant sélectionné", "participants sélectionnés")
            return f"{name} : {chosen}"
        return f"{name} : tout le groupe ({plural(enrolled, 'inscrit')})"

    def refresh_scope(self) -> None:
        """Before showing: build the entries, say what they apply to."""
        self.ensure_built()
        self.scope_action.setText(self.scope_text())
        title = MENU_TITLES[SIGNIN]
        if self.selected_enrollment_ids():
            title += " (tout le groupe)"  # a sheet lists everyone, whatever the selection
        self.signin_menu.setTitle(title)

    def run(self, kind: DocumentKind, operation: Operation) -> None:
        if self.group_id is None:
            return
        request = group_request(self.app, kind, self.group_id, self.selected_enrollment_ids())
        self.task = run_operation(self.app, request, operation)

    def run_dated(self, kind: DocumentKind) -> None:
        if self.group_id is None:
            return
        request = group_request(self.app, kind, self.group_id, self.selected_enrollment_ids())
        self.task = save_with_issue_date(self.app, request)

    def run_blank(self, operation: Operation) -> None:
        """Blank sign-in sheets (only empty rows) for walk-ins."""
        from allervers_desktop.documents.model import DocumentKind

        if self.group_id is None:
            return
        rows = ask_blank_rows(self.app)
        if rows is None:
            return
        request = group_request(
            self.app, DocumentKind.SIGNIN, self.group_id, blank_rows=rows, blank_sheet=True
        )
        self.task = run_operation(self.app, request, operation)

    def save_course_sheet(self) -> None:
        if self.group_id is None:
            return
        with self.app.database.session() as session:
            group = session.get(Group, self.group_id)
            course_id = group.course_id if group is not None else None
        if course_id is not None:
            self.task = save_course_sheet(self.app, course_id)

    def show_log(self) -> None:
        show_certificate_log(self.app, self.group_id)
