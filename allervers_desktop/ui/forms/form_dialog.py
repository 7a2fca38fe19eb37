"""Base class of the edit forms: validation messages in the form, one transaction per save."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from allervers_desktop.db.database import Database
from allervers_desktop.services.errors import ServiceError, ValidationError

ERROR_STYLE = "border: 1px solid #c62828;"


class FormDialog(QDialog):
    """Subclasses build their fields, then implement ``save(session)`` returning the id."""

    def __init__(self, database: Database, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.saved_id: int | None = None
        self.setWindowTitle(title)
        self.setModal(True)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("errors")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(
            "QLabel { color: #b71c1c; background: #fdecea; border: 1px solid #f5c2c0;"
            " border-radius: 4px; padding: 6px; }"
        )
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Enregistrer")
        ok.setObjectName("save")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.body = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.error_label)
        layout.addLayout(self.body, 1)
        layout.addWidget(self.buttons)
        self.field_widgets: dict[str, QWidget] = {}

    def new_form_layout(self) -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        return form

    def register(self, field: str, widget: QWidget) -> Any:
        """Name a widget after the service's field so errors can point at it."""
        widget.setObjectName(field)
        self.field_widgets[field] = widget
        return widget

    def save(self, session: Session) -> int:
        raise NotImplementedError

    def accept(self) -> None:
        self._clear_errors()
        try:
            with self.database.transaction() as session:
                self.saved_id = self.save(session)
        except ValidationError as exc:
            self.show_errors(exc.message, [error.field for error in exc.errors])
            return
        except ServiceError as exc:
            self.show_errors(exc.message, [])
            return
        super().accept()

    def show_errors(self, message: str, fields: list[str]) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        first: QWidget | None = None
        for field in fields:
            widget = self.field_widgets.get(field)
            if widget is not None:
                widget.setStyleSheet(ERROR_STYLE)
                first = first or widget
        if first is not None:
            first.setFocus()

    def _clear_errors(self) -> None:
        self.error_label.hide()
        for widget in self.field_widgets.values():
            widget.setStyleSheet("")
