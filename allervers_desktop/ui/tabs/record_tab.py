"""The common shape of a tab: search field, table, detail panel, add/edit/delete actions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
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
from sqlalchemy.orm import Session

from allervers_desktop.services.deletion import DeletionImpact, refusals
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.ui.history_dialog import connect_history, history_footer
from allervers_desktop.ui.lazy_table_model import ID_ROLE, LazyTableModel
from allervers_desktop.ui.record_list import search_field

if TYPE_CHECKING:
    from allervers_desktop.ui.context import AppContext
    from allervers_desktop.ui.forms.form_dialog import FormDialog


class RecordTab(QWidget):
    """A searchable list of records with a detail panel. Subclasses fill in the specifics."""

    noun = "élément"  # « participant »
    noun_plural = "éléments"
    noun_with_article = "un élément"  # « une formation »
    search_placeholder = "Rechercher…"
    # The record's model when its changes are kept (« Modifié par … », « Historique »).
    tracked_model: type[Any] | None = None

    def __init__(self, context: AppContext, model: LazyTableModel) -> None:
        super().__init__(context.window)
        self.context = context
        self.database = context.database
        self.prompts = context.prompts
        self.operations = context.operations
        self.model = model
        model.setParent(self)

        self.search_field = search_field(self, self.model, self.search_placeholder)

        self.count_label = QLabel(self)
        self.count_label.setObjectName("count")
        self.model.countChanged.connect(self._show_count)

        self.add_button = QPushButton("Nouveau…", self)
        self.edit_button = QPushButton("Modifier…", self)
        self.delete_button = QPushButton("Supprimer", self)
        self.add_button.clicked.connect(self.add_record)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)

        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(26)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setResizeContentsPrecision(30)  # fit widths on the first rows, not all
        header.setSortIndicator(self.model.default_sort[0], self.model.default_sort[1])
        self.view.doubleClicked.connect(lambda _index: self.edit_selected())
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._selection_changed)

        self.detail = self.make_detail_panel()
        if self.tracked_model is not None:
            connect_history(
                self.detail_browser,
                self.database,
                context.prompts,
                self.tracked_model,
                self._history_target,
            )
        self._fitted = False

        top = QHBoxLayout()
        top.addWidget(self.search_field, 1)
        top.addWidget(self.count_label)
        top.addSpacing(12)
        top.addWidget(self.add_button)
        top.addWidget(self.edit_button)
        top.addWidget(self.delete_button)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.view)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([720, 480])
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self._selection_changed()

    # --- to override -------------------------------------------------------------------------
    def make_detail_panel(self) -> QWidget:
        browser = QTextBrowser(self)
        browser.setOpenExternalLinks(False)
        browser.setObjectName("detail")
        self.detail_browser = browser
        return browser

    def detail_html(self, session: Session, record_id: int) -> str:
        return ""

    def open_form(self, record_id: int | None) -> int | None:
        """Show the form; return the id saved, or None when cancelled."""
        raise NotImplementedError

    def saved_by(self, form: FormDialog) -> int | None:
        """Run ``form``; the id it saved (what it changed announced), or None."""
        if not self.prompts.run_dialog(form):
            return None
        self.operations.announce(form.written_tables, self)
        return form.saved_id

    def describe_deletion(self, session: Session, record_id: int) -> DeletionImpact:
        raise NotImplementedError

    def delete_record(self, session: Session, record_id: int) -> None:
        raise NotImplementedError

    def editing_controls(self) -> list[QWidget]:
        """The buttons that change the data (disabled for a read-only login)."""
        return [self.add_button, self.edit_button, self.delete_button]

    # --- behaviour ---------------------------------------------------------------------------
    def load(self) -> None:
        """First fill of the table (called when the tab is first shown)."""
        selected = self.current_id()
        self.model.load(self.search_field.text())
        if not self._fitted and self.model.rowCount():
            self._fit_columns()
            self._fitted = True
        if selected is not None:
            self.select_id(selected, max_batches=0)

    def _fit_columns(self) -> None:
        for column in range(self.model.columnCount() - 1):
            self.view.resizeColumnToContents(column)
            width = self.view.columnWidth(column)
            self.view.setColumnWidth(column, min(max(width + 12, 60), 320))

    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        return [int(self.model.index(row, 0).data(ID_ROLE)) for row in rows]

    def current_id(self) -> int | None:
        ids = self.selected_ids()
        return ids[0] if ids else None

    def select_id(self, record_id: int, max_batches: int = 20) -> None:
        """Select a record, fetching a bounded number of further batches to find it."""
        row = self.model.row_of(record_id)
        while row is None and max_batches > 0 and self.model.canFetchMore(QModelIndex()):
            self.model.fetchMore(QModelIndex())
            max_batches -= 1
            row = self.model.row_of(record_id)
        if row is not None:
            self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0))

    def focus_search(self) -> None:
        self.search_field.setFocus()
        self.search_field.selectAll()

    def add_record(self) -> None:
        record_id = self.open_form(None)
        if record_id is not None:
            self.after_change(record_id)

    def edit_selected(self) -> int | None:
        """Open the selected record's form; the id saved, or None."""
        record_id = self.current_id()
        if record_id is None or self.database.read_only:
            return None
        saved = self.open_form(record_id)
        if saved is not None:
            self.model.refresh_row(saved)
            self._selection_changed()
        return saved

    def refresh_keeping_view(self) -> None:
        """Show what changed elsewhere: the same search, selection and scroll position."""
        selected = self.selected_ids()
        rows = self.model.rowCount()
        scroll = self.view.verticalScrollBar().value()
        self.model.reload()
        while self.model.rowCount() < rows and self.model.canFetchMore(QModelIndex()):
            self.model.fetchMore(QModelIndex())
        selection = self.view.selectionModel()
        for record_id in selected:
            row = self.model.row_of(record_id)
            if row is not None:
                selection.select(
                    self.model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.Select
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
        self.view.verticalScrollBar().setValue(scroll)
        self._selection_changed()

    def after_change(self, record_id: int | None = None) -> None:
        self.model.reload()
        if record_id is not None:
            self.select_id(record_id)
        self._selection_changed()

    def delete_focused(self) -> None:
        """Suppr: the records selected (a tab with more lists says which has the focus)."""
        self.delete_selected()

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        prompts = self.prompts
        read = self.operations.read(
            self,
            "Suppression impossible",
            lambda session: [self.describe_deletion(session, record_id) for record_id in ids],
        )
        if read is None:
            return
        impacts = read.value
        refused = refusals(impacts)
        if refused:
            prompts.error(self, "Suppression impossible", refused)
            return
        if len(ids) == 1:
            question = f"Supprimer {impacts[0].subject} ?"
        else:
            question = f"Supprimer ces {len(ids)} {self.noun_plural} ?"
        detail = "\n".join(line for impact in impacts for line in impact.consequences)
        if not prompts.confirm_destructive(self, "Confirmer la suppression", question, detail):
            return

        def work(session: Session) -> None:
            for record_id in ids:
                self.delete_record(session, record_id)

        if self.operations.write(self, "Suppression impossible", work) is not None:
            self.after_change()

    def _history_target(self) -> tuple[int, str] | None:
        record_id = self.current_id()
        if record_id is None:
            return None
        row = self.model.row_of(record_id)
        title = ""
        if row is not None:
            parts = [str(self.model.index(row, c).data() or "") for c in range(2)]
            title = " ".join(part for part in parts if part)
        return record_id, title or f"n° {record_id}"

    def _show_count(self, total: int) -> None:
        noun = self.noun if total == 1 else self.noun_plural
        self.count_label.setText(f"{total} {noun}")

    def _selection_changed(self, *_args: Any) -> None:
        ids = self.selected_ids()
        self.edit_button.setEnabled(len(ids) == 1)
        self.delete_button.setEnabled(bool(ids))
        self.show_detail(ids[0] if len(ids) == 1 else None)

    def show_detail(self, record_id: int | None) -> None:
        if record_id is None:
            self.detail_browser.setHtml(
                f"<p style='color:#777'>Sélectionnez {self.noun_with_article} "
                "pour voir sa fiche.</p>"
            )
            return
        try:
            with self.database.session() as session:
                html = self.detail_html(session, record_id)
                if self.tracked_model is not None:
                    html += history_footer(session, self.tracked_model, record_id)
        except ServiceError as exc:
            html = f"<p>{exc.message}</p>"
        self.detail_browser.setHtml(html)
