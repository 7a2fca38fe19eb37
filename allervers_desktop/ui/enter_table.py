"""A table view on which Enter opens the current row, rather than pressing the dialog's button."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QTableView


class EnterTable(QTableView):
    """A table that says when Enter is pressed on its current row (instead of the dialog's
    default button)."""

    entered = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            event.accept()
            self.entered.emit()
            return
        super().keyPressEvent(event)
