"""Pick one item of a list, typing to narrow it: the target group of a transfer, a substitute."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from allervers_desktop.text import fold
from allervers_desktop.ui.forms.keyboard import fit_to_screen


class ChoiceDialog(QDialog):
    """A question, a filter field and the list; Entrée or a double-click chooses."""

    def __init__(
        self,
        title: str,
        question: str,
        items: list[tuple[int, str]],
        parent: QWidget | None = None,
        *,
        action: str = "Choisir",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        label = QLabel(question, self)
        label.setWordWrap(True)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("filter")
        self.filter_edit.setPlaceholderText("Taper pour filtrer…")
        self.filter_edit.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.list.setObjectName("choices")
        for item_id, text in items:
            item = QListWidgetItem(text, self.list)
            item.setToolTip(text)  # a long line is cut at the dialog's width
            item.setData(Qt.ItemDataRole.UserRole, item_id)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(action)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText("Annuler")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.filter_edit.textChanged.connect(self._filter)
        self.filter_edit.returnPressed.connect(self.accept)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        self.list.currentItemChanged.connect(lambda *_args: self._update())
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)
        self.resize(640, 420)
        fit_to_screen(self)
        if self.list.count():
            self.list.setCurrentRow(0)
        self._update()
        self.filter_edit.setFocus()

    def _filter(self, text: str) -> None:
        wanted = fold(text)
        first_shown = None
        for row in range(self.list.count()):
            item = self.list.item(row)
            hidden = bool(wanted) and wanted not in fold(item.text())
            item.setHidden(hidden)
            if not hidden and first_shown is None:
                first_shown = item
        current = self.list.currentItem()
        if (current is None or current.isHidden()) and first_shown is not None:
            self.list.setCurrentItem(first_shown)
        self._update()

    def _update(self) -> None:
        current = self.list.currentItem()
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(current is not None and not current.isHidden())

    def chosen(self) -> int | None:
        current = self.list.currentItem()
        if current is None or current.isHidden():
            return None
        return int(current.data(Qt.ItemDataRole.UserRole))

    def accept(self) -> None:
        if self.chosen() is not None:
            super().accept()
