"""Base class of the edit forms: validation messages in the form, one transaction per save."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from allervers_desktop.db.database import Database
from allervers_desktop.services.errors import ServiceError, ValidationError
from allervers_desktop.ui.forms.date_time_fields import DateField, TimeField
from allervers_desktop.ui.forms.keyboard import (
    DISCARD_CHOICES,
    DISCARD_TEXT,
    DISCARD_TITLE,
    FormKeyboard,
    fit_to_screen,
    form_snapshot,
)
from allervers_desktop.ui.prompts import Prompts

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
        self.buttons.rejected.connect(self.discard)
        # The fields scroll, so the buttons stay visible on a 1366×768 screen at 150 %.
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setObjectName("form_scroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget(self.scroll_area)
        self.body = QVBoxLayout(content)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.scroll_area.setWidget(content)
        layout = QVBoxLayout(self)
        layout.addWidget(self.error_label)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.buttons)
        self.field_widgets: dict[str, QWidget] = {}
        # Set by ``Prompts.run_dialog``; asks « Abandonner les modifications ? ».
        self.discard_prompts: Prompts | None = None
        self.keyboard = FormKeyboard(self, self.accept)
        self._snapshot: tuple[object, ...] | None = None
        self._field_problems: dict[QWidget, str] = {}

    def new_form_layout(self) -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        return form

    def register(self, field: str, widget: QWidget) -> Any:
        """Name a widget after the service's field so errors can point at it."""
        widget.setObjectName(field)
        self.field_widgets[field] = widget
        self._watch_edits(widget)
        return widget

    def watch_typed_field(self, widget: DateField | TimeField) -> None:
        """Show a date/time field's French message in the form while it does not read."""
        widget.problem.connect(lambda message: self._typed_problem(widget, message))

    def showEvent(self, event: QShowEvent) -> None:
        first_show = self._snapshot is None
        super().showEvent(event)
        if first_show:
            self.keyboard.prepare()
            for field in self.findChildren(DateField) + self.findChildren(TimeField):
                self.watch_typed_field(field)
            fit_to_screen(self)
            self.keyboard.focus_first_field(list(self.field_widgets.values()))
            self._snapshot = form_snapshot(self)

    def is_changed(self) -> bool:
        return self._snapshot is not None and form_snapshot(self) != self._snapshot

    def discard(self) -> None:
        """« Annuler »: close without asking (the user said so)."""
        super().reject()

    def reject(self) -> None:
        """Escape or the window's ×: a changed form asks first."""
        if self.is_changed():
            prompts = self.discard_prompts or Prompts()
            answer = prompts.choose(self, DISCARD_TITLE, DISCARD_TEXT, DISCARD_CHOICES)
            if answer != DISCARD_CHOICES[0]:
                return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if event.spontaneous():
            self.reject()
            if self.isVisible():
                event.ignore()
                return
        event.accept()

    def typed_fields_read(self) -> bool:
        """Every date and time field reads; otherwise its message is shown and it has focus."""
        for field in self.findChildren(DateField) + self.findChildren(TimeField):
            if field.isEnabled() and field.isVisibleTo(self) and not field.normalise():
                field.setFocus()
                return False
        return True

    def save(self, session: Session) -> int:
        raise NotImplementedError

    def accept(self) -> None:
        if not self.typed_fields_read():
            return
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

    def _watch_edits(self, widget: QWidget) -> None:
        """Clear this field's highlight as soon as it is edited."""
        for signal_name in ("textEdited", "textChanged", "currentIndexChanged", "valueChanged"):
            signal = getattr(widget, signal_name, None)
            if signal is not None and hasattr(signal, "connect"):
                signal.connect(lambda *_args, target=widget: self._clear_field(target))
                break

    def _clear_field(self, widget: QWidget) -> None:
        if widget.styleSheet():
            widget.setStyleSheet("")
        if not any(w.styleSheet() for w in self.field_widgets.values()) and not any(
            self._field_problems.values()
        ):
            self.error_label.hide()

    def _typed_problem(self, widget: QWidget, message: str) -> None:
        self._field_problems[widget] = message
        shown = [text for text in self._field_problems.values() if text]
        if shown:
            self.error_label.setText(shown[-1])
            self.error_label.show()
        elif not any(w.styleSheet() for w in self.field_widgets.values()):
            self.error_label.hide()
