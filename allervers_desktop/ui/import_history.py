"""« Historique des imports »: every import with its stored report, and undoing one."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QItemSelection,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import ImportBatch
from allervers_desktop.excel import history
from allervers_desktop.excel.history import BatchSummary, UndoCheck
from allervers_desktop.excel.planning import FIELD_LABELS
from allervers_desktop.formatting import long_date, short_date
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.ui.html import bullet_list, esc, fields, heading, paragraphs, section
from allervers_desktop.ui.list_table_model import Column, ListTableModel
from allervers_desktop.ui.operations import failure_message
from allervers_desktop.ui.prompts import Prompts
from allervers_desktop.ui.tasks import BackgroundTask, ProgressCallback, run_until_committed

if TYPE_CHECKING:
    from allervers_desktop.ui.context import AppContext

DIALOG_TITLE = "Historique des imports"
UNDO_TITLE = "Annuler un import"
UNDO_INTERRUPTED = "Annulation interrompue : rien n'a été modifié."
NO_IMPORT = (
    "Aucun import pour l'instant. Les listes importées par Fichier › Importer… (ou par la "
    "commande « allervers import ») apparaîtront ici, et pourront être annulées."
)
MAX_LISTED = 200  # lines of a report shown in the details pane, per section
UNDONE_COLOUR = "#888888"

_log = logging.getLogger(__name__)


def _dim_if_undone(batch: BatchSummary) -> str | None:
    return UNDONE_COLOUR if batch.status == "undone" else None


def _column(
    title: str, text: Callable[[BatchSummary], object], right: bool = False
) -> Column[BatchSummary]:
    return Column(title, lambda b: str(text(b)), right_aligned=right, colour=_dim_if_undone)


def imported_when(batch: BatchSummary) -> str:
    return f"{short_date(batch.imported_at.date())} {batch.imported_at.strftime('%H:%M')}"


COLUMNS = (
    _column("N°", lambda b: b.id, right=True),
    _column("Date", imported_when),
    _column("Fichier", lambda b: b.file_name),
    _column("Feuille", lambda b: b.sheet_name),
    _column("Groupe", lambda b: b.group_label),
    _column("Créés", lambda b: b.created, right=True),
    _column("Mis à jour", lambda b: b.updated, right=True),
    _column("Inscrits", lambda b: b.enrolled, right=True),
    _column("Liste d'attente", lambda b: b.waitlisted, right=True),
    _column("Inchangés", lambda b: b.unchanged, right=True),
    _column("Ignorés", lambda b: b.skipped, right=True),
    _column("Statut", lambda b: b.status_label),
)
COL_ID, COL_DATE, COL_FILE = 0, 1, 2
COL_STATUS = len(COLUMNS) - 1


def batch_table_model(parent: QObject | None = None) -> ListTableModel[BatchSummary]:
    """The imports, most recent first; ``ID_ROLE`` gives a row's batch id, and a refresh of
    the same imports updates the changed rows in place."""
    return ListTableModel(COLUMNS, lambda batch: batch.id, parent)


# --- the details pane ------------------------------------------------------------------------
def _listed(lines: list[str], noun_plural: str) -> str:
    shown = lines[:MAX_LISTED]
    html = bullet_list(shown)
    if len(lines) > len(shown):
        html += f"<p>… et {len(lines) - len(shown)} autres {esc(noun_plural)}.</p>"
    return html


def _row_prefix(row: object) -> str:
    return f"Ligne {row} : " if row is not None else ""


def _conflict_line(conflict: dict[str, Any]) -> str:
    label = FIELD_LABELS.get(str(conflict.get("field")), str(conflict.get("field", "")))
    kept = (
        "valeur du fichier retenue"
        if conflict.get("choice") == "replace"
        else "valeur existante conservée"
    )
    return (
        f"{_row_prefix(conflict.get('row'))}{label} : « {conflict.get('existing', '')} » dans la "
        f"base, « {conflict.get('incoming', '')} » dans le fichier ({kept})"
    )


def report_html(batch: BatchSummary, report: dict[str, Any], file_path: str = "") -> str:
    """The stored report of an import: summary, skipped rows with reasons, warnings, conflicts."""
    when = f"{long_date(batch.imported_at.date())} à {batch.imported_at.strftime('%H:%M')}"
    html = heading(f"Import n° {batch.id} — {batch.file_name}", f"Importé le {when}")
    html += fields(
        [
            ("Fichier", file_path or batch.file_name),
            ("Feuille", batch.sheet_name),
            ("Ligne d'en-tête", report.get("header_row")),
            ("Groupe choisi", batch.group_label),
            ("Établissements créés", report.get("employers_created") or None),
            ("Statut", batch.status_label),
            (
                "Détail",
                "effacé, durée de conservation dépassée (RGPD)"
                if report.get("details_purged")
                else None,
            ),
        ]
    )
    skipped = [
        f"{_row_prefix(item.get('row'))}{item.get('reason', '')}"
        for item in report.get("skipped", [])
    ]
    html += section(f"Lignes ignorées ({len(skipped)})") + _listed(skipped, "lignes ignorées")
    warnings = [
        f"{_row_prefix(item.get('row'))}{item.get('message', '')}"
        for item in report.get("warnings", [])
    ]
    html += section(f"Avertissements ({len(warnings)})") + _listed(warnings, "avertissements")
    conflicts = [_conflict_line(item) for item in report.get("conflicts", [])]
    if conflicts:
        html += section(f"Conflits ({len(conflicts)})") + _listed(conflicts, "conflits")
    return html


def undo_question(batch: BatchSummary, check: UndoCheck) -> tuple[str, str]:
    """The confirmation text and its detail: what will be removed and restored."""
    detail = check.message()
    if check.removed_employers:
        detail += (
            f"\n{check.removed_employers} établissement(s) créé(s) par l'import sera(ont) "
            "supprimé(s)."
        )
    question = f"Annuler l'import n° {batch.id} du fichier « {batch.file_name} » ?"
    return question, detail


# --- the dialog ------------------------------------------------------------------------------
class ImportHistoryDialog(QDialog):
    """Lists every import; shows the selected one's report; undoes it when nothing depends on it.

    ``importUndone(batch_id)`` is emitted after an undo was committed: the window reloads its
    tabs then.
    """

    importUndone = Signal(int)

    def __init__(self, database: Database, prompts: Prompts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.prompts = prompts
        self.task: BackgroundTask | None = None
        self.setWindowTitle(DIALOG_TITLE)
        self.resize(1100, 640)

        self.model = batch_table_model(self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(26)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_FILE, QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)

        self.details = QTextBrowser(self)
        self.details.setObjectName("detail")
        self.details.setOpenExternalLinks(False)

        self.count_label = QLabel(self)
        self.undo_button = QPushButton("Annuler cet import…", self)
        self.undo_button.setToolTip(
            "Supprime ce que l'import a créé et rétablit ce qu'il a modifié, si rien de "
            "postérieur n'en dépend."
        )
        self.undo_button.clicked.connect(self.undo_selected)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText("Fermer")
        self.buttons.rejected.connect(self.reject)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.view)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([300, 320])

        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        bottom.addWidget(self.undo_button)
        bottom.addSpacing(12)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self.reload()

    # --- list and details ----------------------------------------------------------------------
    def reload(self) -> None:
        """Read the history again, keeping the selected import selected."""
        selected = self.current_id()
        with self.database.session() as session:
            batches = history.list_batches(session)
        self.model.set_rows(batches)
        count = len(batches)
        self.count_label.setText(f"{count} import{'s' if count > 1 else ''}")
        row = self.model.row_of(selected) if selected is not None else None
        if row is None and count:
            row = 0
        if row is not None:
            self.view.selectRow(row)
        self._selection_changed()

    def current_id(self) -> int | None:
        rows = self.view.selectionModel().selectedRows()
        batch = self.model.row_at(rows[0].row()) if rows else None
        return batch.id if batch is not None else None

    def current_batch(self) -> BatchSummary | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _selection_changed(self, *_args: QItemSelection) -> None:
        batch = self.current_batch()
        running = self.task is not None and self.task.running
        self.undo_button.setEnabled(batch is not None and batch.status == "applied" and not running)
        if batch is None:
            self.details.setHtml(paragraphs(NO_IMPORT) if not self.model.rowCount() else "")
            return
        try:
            with self.database.session() as session:
                report = history.batch_report(session, batch.id)
                file_path = session.scalar(
                    select(ImportBatch.file_path).where(ImportBatch.id == batch.id)
                )
        except (ServiceError, ValueError):  # deleted meanwhile, or a damaged stored report
            report, file_path = {}, ""
        self.details.setHtml(report_html(batch, report, file_path or ""))

    # --- undo ----------------------------------------------------------------------------------
    def undo_selected(self) -> None:
        batch = self.current_batch()
        if batch is None or (self.task is not None and self.task.running):
            return
        try:
            with self.database.session() as session:
                check = history.check_undo(session, batch.id)
        except ServiceError as exc:
            self.prompts.error(self, UNDO_TITLE, exc.message)
            self.reload()
            return
        if not check.allowed:
            self.prompts.error(self, UNDO_TITLE, check.message())
            return
        question, detail = undo_question(batch, check)
        if not self.prompts.confirm_destructive(
            self, UNDO_TITLE, question, detail, action="Annuler l'import", keep="Garder l'import"
        ):
            return
        self._start_undo(batch.id)

    def _start_undo(self, batch_id: int) -> None:
        database = self.database

        def work(progress: ProgressCallback) -> UndoCheck:
            with database.transaction() as session:
                return history.undo_batch(session, batch_id, progress)

        self.undo_button.setEnabled(False)
        self.task = run_until_committed(
            self,
            UNDO_TITLE,
            f"Annulation de l'import n° {batch_id}…",
            work,
            self._undone,
            self._undo_failed,
            self._undo_cancelled,
        )

    def _undone(self, check: UndoCheck) -> None:
        self.reload()
        self.importUndone.emit(check.batch_id)
        self.prompts.inform(self, UNDO_TITLE, check.done_message())

    def _undo_failed(self, error: BaseException) -> None:
        self.reload()
        message = failure_message(error)
        if message is None:  # a bug: logged with its traceback, and said
            _log.error("Annulation d'import", exc_info=error)
            message = (
                "L'import n'a pas pu être annulé à cause d'une erreur inattendue "
                f"({error.__class__.__name__} : {error}) : rien n'a été modifié."
            )
        self.prompts.error(self, UNDO_TITLE, message)

    def _undo_cancelled(self) -> None:
        self.reload()
        self.prompts.inform(self, UNDO_TITLE, UNDO_INTERRUPTED)

    def reject(self) -> None:
        """Closing waits for a running undo: its result must be shown and the tabs refreshed."""
        if self.task is not None and self.task.running:
            return
        super().reject()


def show_import_history(app: AppContext) -> None:
    """Fichier › Historique des imports…: the dialog; the tabs are reloaded after an undo."""
    dialog = ImportHistoryDialog(app.database, app.prompts, app.window)
    dialog.importUndone.connect(lambda _batch_id: app.refresh_all())
    app.prompts.run_dialog(dialog)
    dialog.deleteLater()
