"""A read-only report over the whole database (« Doublons probables », « Conflits »): a list
computed by a service, shown in a table; a double-click or Enter opens the row elsewhere."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from allervers_desktop.ui.context import AppContext
from allervers_desktop.ui.enter_table import EnterTable
from allervers_desktop.ui.forms.keyboard import fit_to_screen
from allervers_desktop.ui.list_table_model import Column, ListTableModel
from allervers_desktop.ui.view_state import remember

Row = TypeVar("Row")


class ReportDialog(QDialog, Generic[Row]):
    """Subclasses give the columns and ``rows()``; ``open_row(row, column)`` on activation."""

    def __init__(
        self,
        context: AppContext,
        title: str,
        intro: str,
        columns: Sequence[Column[Row]],
        parent: QWidget | None = None,
        *,
        settings_key: str,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.settings_key = settings_key  # its column widths are kept under this key
        self.setWindowTitle(title)
        self.intro = QLabel(intro, self)
        self.intro.setWordWrap(True)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("count")
        self.model: ListTableModel[Row] = ListTableModel(columns, parent=self)
        self.view = EnterTable(self)
        self.view.setObjectName("report")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.doubleClicked.connect(self._activated)
        self.view.entered.connect(lambda: self._activated(self.view.currentIndex()))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText("Fermer")
        close.setAutoDefault(False)
        self.buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.intro, 1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.buttons)
        self.resize(1100, 520)

    def rows(self) -> list[Row] | None:
        """The report's rows, or None when reading failed (the failure shown)."""
        raise NotImplementedError

    def count_text(self, total: int) -> str:
        raise NotImplementedError

    def open_row(self, row: Row, column: int) -> None:
        """What a double-click or Enter on ``column`` of ``row`` does."""

    def load(self) -> None:
        rows = self.rows()
        self.model.set_rows(rows or [])
        self.count_label.setText(self.count_text(len(self.model.rows)))
        header = self.view.horizontalHeader()
        if not remember(header, f"{self.settings_key}/header", self.context.settings):
            for column in range(self.model.columnCount() - 1):
                self.view.resizeColumnToContents(column)
                self.view.setColumnWidth(column, min(self.view.columnWidth(column) + 16, 360))
        self.view.resizeRowsToContents()  # cells of two or three lines
        if self.model.rows:
            self.view.selectRow(0)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_to_screen(self)

    def _activated(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row()) if index.isValid() else None
        if row is not None:
            self.open_row(row, index.column())
