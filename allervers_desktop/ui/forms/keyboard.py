"""Keyboard behaviour shared by forms and dialogs: first field focused, no accidental default
button, Tab out of multi-line fields, Ctrl+Entrée saves; and a dialog capped to its screen."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QWidget,
)

DISCARD_TITLE = "Abandonner les modifications ?"
DISCARD_TEXT = "Les modifications de ce formulaire n'ont pas été enregistrées."
DISCARD_CHOICES = ["Abandonner", "Continuer la saisie"]


class FormKeyboard:
    """Install on a dialog: Space and Enter never press a button by accident (no default
    button: Enter in a field does nothing, Space only presses a button that has the focus),
    Ctrl+Entrée and Ctrl+Retour run ``save``."""

    def __init__(self, dialog: QWidget, save: Callable[[], None]) -> None:
        self.dialog = dialog
        self.shortcuts = []
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(Qt.KeyboardModifier.ControlModifier | key), dialog)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(save)
            self.shortcuts.append(shortcut)

    def prepare(self) -> None:
        """Call once the fields are built (on first show)."""
        for button in self.dialog.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)
        for edit in self.dialog.findChildren(QPlainTextEdit) + self.dialog.findChildren(QTextEdit):
            edit.setTabChangesFocus(True)

    def focus_first_field(self, preferred: Iterable[QWidget]) -> None:
        for widget in list(preferred) + self.dialog.findChildren(QWidget):
            if _is_field(widget) and widget.isEnabled() and widget.isVisibleTo(self.dialog):
                widget.setFocus(Qt.FocusReason.TabFocusReason)
                return


def _is_field(widget: QWidget) -> bool:
    if isinstance(widget, QAbstractButton) and not isinstance(widget, QCheckBox):
        return False
    return widget.focusPolicy() & Qt.FocusPolicy.TabFocus == Qt.FocusPolicy.TabFocus or (
        widget.focusProxy() is not None
    )


def form_snapshot(root: QWidget) -> tuple[object, ...]:
    """What the user can change in ``root``'s fields, to tell whether a form was edited."""
    values: list[object] = []
    for widget in root.findChildren(QWidget):
        if isinstance(widget, QLineEdit):
            values.append(widget.text())
        elif isinstance(widget, (QPlainTextEdit, QTextEdit)):
            values.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            values.append((widget.currentIndex(), widget.currentText()))
        elif isinstance(widget, QAbstractSpinBox):
            values.append(widget.text())
        elif isinstance(widget, QCheckBox):
            values.append(widget.checkState().value)
        elif isinstance(widget, QAbstractItemView):
            model = widget.model()
            if isinstance(model, QStandardItemModel):
                values.append(
                    tuple(
                        model.item(row).checkState().value
                        for row in range(model.rowCount())
                        if model.item(row) is not None
                    )
                )
    return tuple(values)


def fit_to_screen(dialog: QWidget) -> None:
    """Cap a top-level dialog to its screen's available geometry (frame included) and keep it
    on that screen, so its buttons are never off-screen at 1366×768 or at 150 %."""
    screen = dialog.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    available = screen.availableGeometry()
    frame_extra_w = max(0, dialog.frameGeometry().width() - dialog.width())
    frame_extra_h = max(0, dialog.frameGeometry().height() - dialog.height())
    max_w = available.width() - frame_extra_w
    max_h = available.height() - frame_extra_h
    dialog.setMaximumSize(max(max_w, 200), max(max_h, 150))
    width = min(max(dialog.width(), dialog.sizeHint().width()), max_w)
    height = min(max(dialog.height(), dialog.sizeHint().height()), max_h)
    dialog.resize(width, height)
    frame = dialog.frameGeometry()
    x = min(max(frame.x(), available.x()), available.right() - frame.width() + 1)
    y = min(max(frame.y(), available.y()), available.bottom() - frame.height() + 1)
    dialog.move(max(x, available.x()), max(y, available.y()))
