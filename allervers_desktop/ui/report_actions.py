"""« Bilan pour le cofinanceur » and « Récapitulatif par établissement » from the window: the
file asked for (.xlsx or .pdf), written off the GUI thread with the dashboard's filters."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from allervers_desktop.ui.excel_actions import (
    CLOSE,
    DIRECTORY_KEY,
    OPEN_FILE,
    OPEN_FOLDER,
    export_error_message,
    suggested_path,
)
from allervers_desktop.ui.prompts import confirm_replace_read_only
from allervers_desktop.ui.tasks import BackgroundTask, ProgressCallback, run_in_background

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from allervers_desktop.stats.filters import StatsFilter
    from allervers_desktop.ui.context import AppContext

REPORT_TITLES = {
    "cofinancer": "Bilan pour le cofinanceur",
    "employers": "Récapitulatif par établissement",
}
FILTERS = "Classeur Excel (*.xlsx);;Document PDF (*.pdf)"


def save_report(
    app: AppContext, parent: QWidget, kind: str, flt: StatsFilter
) -> BackgroundTask | None:
    """Ask where, then write the report; None when the user gave up."""
    from allervers_desktop.documents.fonts import prepare_fonts
    from allervers_desktop.stats.reports import FILE_NAMES, write_report

    title = REPORT_TITLES[kind]
    chosen = app.prompts.save_file(
        parent, title, suggested_path(app, f"{FILE_NAMES[kind]}.xlsx"), FILTERS
    )
    if not chosen:
        return None
    target = Path(chosen)
    if target.suffix.lower() not in (".xlsx", ".pdf"):
        target = target.with_name(target.name + ".xlsx")
    replace = confirm_replace_read_only(app.prompts, parent, [target])
    if replace is None:
        return None
    prepare_fonts()  # the PDF is painted on the worker thread
    database = app.database

    def work(progress: ProgressCallback) -> list[Path]:
        progress(0, 0)
        with database.session() as session:
            return write_report(session, kind, flt, target, replace_read_only=replace)

    def done(written: list[Path]) -> None:
        app.settings.setValue(DIRECTORY_KEY, str(target.parent))
        message = f"{title} enregistré : « {target.name} »."
        app.status(message, 10000)
        answer = app.prompts.choose(
            parent, title, message, [OPEN_FILE, OPEN_FOLDER, CLOSE], result=True
        )
        if answer == OPEN_FILE:
            app.prompts.open_path(written[0])
        elif answer == OPEN_FOLDER:
            app.prompts.open_path(target.parent)

    def failed(error: BaseException) -> None:
        app.prompts.error(parent, title, export_error_message(error, target))

    return run_in_background(
        parent, title, f"Écriture de « {target.name} »…", work, done, failed, lambda: None
    )
