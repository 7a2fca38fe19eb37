"""« Historique » of a record: its changes, newest first, and the detail panes' last-change line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from allervers_desktop.db.database import Database
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.services.history import (
    FieldChange,
    History,
    last_change,
    record_history,
)
from allervers_desktop.ui.html import esc
from allervers_desktop.ui.prompts import Prompts

HISTORY_LINK = "allervers:historique"
COLUMNS = ["Date", "Par", "Action", "Champ", "Avant", "Après"]


def history_footer(session: Session, model: type[Any], record_id: int) -> str:
    """The last change of the record and the link to its Historique, for a detail pane."""
    record = session.get(model, record_id)
    line = last_change(record) if record is not None else ""
    text = f"{esc(line)} · " if line else ""
    return (
        f"<p style='color:#666;margin-top:12px'>{text}"
        f"<a href='{HISTORY_LINK}'>Historique</a></p>"
    )


class HistoryDialog(QDialog):
    """The record's changes: one row per changed field (or per creation, deletion)."""

    def __init__(self, title: str, history: History, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Historique — {title}")
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(COLUMNS)
        for change in history.changes:
            when = f"{change.at:%d/%m/%Y %H:%M}"
            lines: tuple[FieldChange | None, ...] = change.fields or (None,)
            for field in lines:
                cells = [when, change.by, change.action]
                if field is None:
                    cells += ["", "", ""]
                else:
                    cells += [field.label, field.before, field.after]
                items = [QStandardItem(cell) for cell in cells]
                for item in items:
                    item.setEditable(False)
                self.model.appendRow(items)
        self.view = QTableView(self)
        self.view.setObjectName("history")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.resizeColumnsToContents()
        layout = QVBoxLayout(self)
        if not history.changes:
            layout.addWidget(QLabel("Aucune modification enregistrée pour cette fiche.", self))
        layout.addWidget(self.view, 1)
        if history.older:
            layout.addWidget(
                QLabel(f"… et {history.older} modifications plus anciennes, non affichées.", self)
            )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Fermer")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(820, 420)


def connect_history(
    browser: QTextBrowser,
    database: Database,
    prompts: Prompts,
    model: type[Any],
    current: Callable[[], tuple[int, str] | None],
) -> None:
    """The « Historique » link of ``browser`` opens the dialog of ``current()`` (id, title)."""
    browser.setOpenLinks(False)

    def clicked(url: QUrl) -> None:
        if url.toString() != HISTORY_LINK:
            return
        shown = current()
        if shown is None:
            return
        record_id, title = shown
        try:
            with database.session() as session:
                history = record_history(session, model, record_id)
        except ServiceError as exc:
            prompts.error(browser, "Historique", exc.message)
            return
        prompts.run_dialog(HistoryDialog(title, history, browser.window()))

    browser.anchorClicked.connect(clicked)
