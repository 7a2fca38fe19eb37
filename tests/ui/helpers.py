"""Small helpers to type into forms and click their buttons like a user."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit, QPlainTextEdit, QWidget

from allervers_desktop.ui.forms.form_dialog import FormDialog
from allervers_desktop.ui.lazy_table_model import ID_ROLE, LazyTableModel


def type_text(qtbot: Any, widget: QWidget, text: str) -> None:
    """Type like a user; characters QTest cannot map (é, ü, «) are sent as key events."""
    for char in text:
        if char == "\n":
            qtbot.keyClick(widget, Qt.Key.Key_Return)
        elif char.isascii():
            qtbot.keyClick(widget, char)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                event = QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char)
                QApplication.sendEvent(widget, event)


def type_into(qtbot: Any, widget: QLineEdit | QPlainTextEdit, text: str) -> None:
    """Clear the field, then type ``text`` into it."""
    widget.setFocus()
    widget.clear()
    type_text(qtbot, widget, text)


def click_save(qtbot: Any, form: FormDialog) -> None:
    qtbot.mouseClick(
        form.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )


def click_cancel(qtbot: Any, form: FormDialog) -> None:
    qtbot.mouseClick(
        form.buttons.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton
    )


def column_values(model: LazyTableModel, column: int) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def ids(model: LazyTableModel) -> list[int]:
    return [model.index(row, 0).data(ID_ROLE) for row in range(model.rowCount())]
