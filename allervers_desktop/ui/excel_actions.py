"""Excel exports from the window: ask where, write in the background, offer to open the file."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths
from sqlalchemy.orm import Session

from allervers_desktop.db.models import Course, Group
from allervers_desktop.excel import export as excel_export
from allervers_desktop.files.errors import os_reason
from allervers_desktop.files.names import COUNTER_ROOM, MAX_NAME_BYTES, UNSAFE, cut_to_bytes
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.ui.prompts import confirm_replace_read_only
from allervers_desktop.ui.tasks import BackgroundTask, ProgressCallback, run_until_committed

if TYPE_CHECKING:
    from allervers_desktop.excel.export import ExportResult
    from allervers_desktop.ui.context import AppContext

XLSX_FILTER = "Classeur Excel (*.xlsx)"
EXPORT_TITLE = "Export Excel"
DONE_TITLE = "Export terminé"
OPEN_FILE, OPEN_FOLDER, CLOSE = "Ouvrir le fichier", "Ouvrir le dossier", "Fermer"
EXPORT_CANCELLED = "Export annulé : aucun fichier n'a été écrit."
DIRECTORY_KEY = "export/directory"
MAX_NAME = 150

Exporter = Callable[[Session, Path, ProgressCallback, bool], "ExportResult"]
_log = logging.getLogger(__name__)


# --- file names ------------------------------------------------------------------------------
def safe_file_name(text: str, fallback: str = "export") -> str:
    """A file name valid on Windows, macOS and Linux (no \\ / : * ? " < > |, no control or
    bidirectional characters), short enough in bytes for « .xlsx » and a « (2) »."""
    name = " ".join(UNSAFE.sub(" ", text).split())
    room = MAX_NAME_BYTES - len(".xlsx") - COUNTER_ROOM
    name = cut_to_bytes(name[:MAX_NAME], room).strip(" .")
    return name or fallback


def with_xlsx_suffix(path: Path) -> Path:
    """``path`` ending in .xlsx (added when the user typed a name without it)."""
    return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")


def roster_file_name(session: Session, group_id: int) -> str:
    """« Groupe 1 - Strasbourg - liste.xlsx »."""
    group = session.get(Group, group_id)
    if group is None:
        return "Groupe - liste.xlsx"
    parts = [group.label, group.city, "liste"]
    return safe_file_name(" - ".join(part for part in parts if part.strip())) + ".xlsx"


def course_file_name(session: Session, course_id: int) -> str:
    """« La pratique de l'Aller Vers les publics - Module 1 - groupes.xlsx »."""
    course = session.get(Course, course_id)
    if course is None:
        return "Formation - groupes.xlsx"
    # « Module 1 « Aller vers : … » » -> « Module 1 »: short enough for a file name.
    module = re.split(r"[«:(–—]", course.module, maxsplit=1)[0].strip()
    parts = [course.title, module if len(module) <= 20 else "", "groupes"]
    return safe_file_name(" - ".join(part for part in parts if part.strip())) + ".xlsx"


def participants_file_name() -> str:
    return "Annuaire des participants.xlsx"


def suggested_path(app: AppContext, name: str) -> str:
    remembered = app.settings.value(DIRECTORY_KEY, "")
    folder = Path(str(remembered)) if remembered else None
    if folder is None or not folder.is_dir():
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        folder = Path(documents) if documents and Path(documents).is_dir() else Path.home()
    return str(folder / name)


# --- messages --------------------------------------------------------------------------------
def export_error_message(error: BaseException, target: Path) -> str:
    """What went wrong, in French, for an export to ``target``."""
    if isinstance(error, ServiceError):
        return error.message
    if isinstance(error, OSError):
        return f"Le fichier « {target.name} » n'a pas pu être écrit : {os_reason(error)}."
    return (
        f"L'export vers « {target.name} » a échoué à cause d'une erreur inattendue "
        f"({error.__class__.__name__} : {error})."
    )


def _export(
    app: AppContext, question: str, suggested_name: str, exporter: Exporter
) -> BackgroundTask | None:
    """Ask for the target, then write it off the GUI thread; None when the user gave up."""
    chosen = app.prompts.save_file(
        app.window, question, suggested_path(app, suggested_name), XLSX_FILTER
    )
    if not chosen:
        return None
    target = with_xlsx_suffix(Path(chosen))
    replace = confirm_replace_read_only(app.prompts, app.window, [target])
    if replace is None:
        return None
    database = app.database

    def work(progress: ProgressCallback) -> ExportResult:
        with database.session() as session:
            return exporter(session, target, progress, replace)

    def done(result: ExportResult) -> None:
        app.settings.setValue(DIRECTORY_KEY, str(result.path.parent))
        message = result.describe()
        app.status(message, 10000)
        answer = app.prompts.choose(
            app.window, DONE_TITLE, message, [OPEN_FILE, OPEN_FOLDER, CLOSE], result=True
        )
        if answer == OPEN_FILE:
            app.prompts.open_path(result.path)
        elif answer == OPEN_FOLDER:
            app.prompts.open_path(result.path.parent)

    def failed(error: BaseException) -> None:
        if not isinstance(error, ServiceError | OSError):
            _log.error("Export vers %s", target, exc_info=error)
        app.status("", 0)
        app.prompts.error(app.window, EXPORT_TITLE, export_error_message(error, target))

    def cancelled() -> None:
        app.status(EXPORT_CANCELLED, 10000)

    return run_until_committed(
        app.window, EXPORT_TITLE, f"Écriture de « {target.name} »…", work, done, failed, cancelled
    )


# --- the three exports -----------------------------------------------------------------------
def export_group_roster(app: AppContext, group_id: int) -> BackgroundTask | None:
    """Groupes tab / Fichier menu: the roster of one group."""
    with app.database.session() as session:
        name = roster_file_name(session, group_id)

    def exporter(
        session: Session, target: Path, progress: ProgressCallback, replace: bool
    ) -> ExportResult:
        return excel_export.export_group_roster(
            session, group_id, target, progress, replace_read_only=replace
        )

    return _export(app, "Exporter la liste du groupe", name, exporter)


def export_course_workbook(app: AppContext, course_id: int) -> BackgroundTask | None:
    """All groups of a course: a summary sheet and a sheet per group."""
    with app.database.session() as session:
        name = course_file_name(session, course_id)

    def exporter(
        session: Session, target: Path, progress: ProgressCallback, replace: bool
    ) -> ExportResult:
        return excel_export.export_course_workbook(
            session, course_id, target, progress, replace_read_only=replace
        )

    return _export(app, "Exporter les groupes de la formation", name, exporter)


def export_participants(app: AppContext) -> BackgroundTask | None:
    """The whole participants directory."""

    def exporter(
        session: Session, target: Path, progress: ProgressCallback, replace: bool
    ) -> ExportResult:
        return excel_export.export_participants(
            session, target, progress, replace_read_only=replace
        )

    return _export(app, "Exporter l'annuaire des participants", participants_file_name(), exporter)


def export_document_register(app: AppContext, group_id: int | None) -> BackgroundTask | None:
    """« Journal des documents » (of one group, or all of it) to Excel."""
    from allervers_desktop.documents.register import export_register

    name = "Journal des documents.xlsx"
    if group_id is not None:
        with app.database.session() as session:
            group = session.get(Group, group_id)
            if group is not None:
                name = safe_file_name(f"Journal des documents - {group.label}") + ".xlsx"

    def exporter(
        session: Session, target: Path, progress: ProgressCallback, replace: bool
    ) -> ExportResult:
        rows = export_register(session, target, group_id, progress, replace)
        return excel_export.ExportResult(target, ["Journal des documents"], rows)

    return _export(app, "Exporter le journal des documents", name, exporter)
