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

from allervers_desktop.db.changes import changed_tables
from allervers_desktop.db.database import Database
from allervers_desktop.services.errors import ValidationError
from allervers_desktop.services.versions import STALE_TITLE, StaleRecordError, lock_unchanged
from allervers_desktop.ui.forms.date_time_fields import DateField, TimeField
from allervers_desktop.ui.forms.keyboard import (
    DISCARD_CHOICES,
    DISCARD_TEXT,
    DISCARD_TITLE,
    FormKeyboard,
    fit_to_screen,
    form_snapshot,
)
from allervers_desktop.ui.forms.stale import State, copy_field, field_label, field_state
from allervers_desktop.ui.operations import failure_message
from allervers_desktop.ui.prompts import Prompts

ERROR_STYLE = "border: 1px solid #c62828;"
RELOAD_CHOICES = ["Recharger", "Revenir au formulaire"]


class FormDialog(QDialog):
    """Subclasses build their fields, then implement ``save(session)`` returning the id."""

    def __init__(self, database: Database, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.saved_id: int | None = None
        self.written_tables: frozenset[str] = frozenset()  # what the save changed
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
        self.notice_label = QLabel(self)
        self.notice_label.setObjectName("notice")
        self.notice_label.setWordWrap(True)
        self.notice_label.setStyleSheet(
            "QLabel { color: #0d3c61; background: #e8f4fd; border: 1px solid #b6dcfb;"
            " border-radius: 4px; padding: 6px; }"
        )
        self.notice_label.hide()
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
        layout.addWidget(self.notice_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.buttons)
        self.field_widgets: dict[str, QWidget] = {}
        # Set by ``Prompts.run_dialog``; asks « Abandonner les modifications ? ».
        self.discard_prompts: Prompts | None = None
        self.keyboard = FormKeyboard(self, self.accept)
        self._snapshot: tuple[object, ...] | None = None
        self._field_problems: dict[QWidget, str] = {}
        self._shown = False
        # The record's version when the form loaded it (see ``guard``), and its fields then.
        self._guard: tuple[type[Any], int, int, str] | None = None
        self._opened: dict[str, State] | None = None

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

    def guard(self, model: type[Any], record_id: int, version: int, what: str) -> None:
        """Refuse this form's save if someone saved the record since it was loaded at
        ``version`` (« Modifié entre-temps sur un autre poste »)."""
        self._guard = (model, record_id, version, what)

    def reopened(self) -> FormDialog | None:
        """The same form, loaded again from the database (subclasses that ``guard``)."""
        return None

    def field_states(self) -> dict[str, State]:
        return {name: field_state(widget) for name, widget in self.field_widgets.items()}

    def showEvent(self, event: QShowEvent) -> None:
        first_show = not self._shown
        self._shown = True
        super().showEvent(event)
        if first_show:
            self.keyboard.prepare()
            for field in self.findChildren(DateField) + self.findChildren(TimeField):
                self.watch_typed_field(field)
            fit_to_screen(self)
            self.keyboard.focus_first_field(list(self.field_widgets.values()))
            if self._snapshot is None:
                self._snapshot = form_snapshot(self)
            if self._opened is None:
                self._opened = self.field_states()

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
                if self._guard is not None:
                    model, record_id, version, what = self._guard
                    lock_unchanged(session, model, record_id, version, what)
                self.saved_id = self.save(session)
                self.written_tables = changed_tables(session)
        except StaleRecordError as exc:
            self._saved_elsewhere(exc)
            return
        except ValidationError as exc:
            self.show_errors(exc.message, [error.field for error in exc.errors])
            return
        except Exception as exc:  # locked, full disk, read-only file, lost connection…
            message = failure_message(exc)
            if message is None:
                raise  # a bug: the last-resort handler logs and shows it
            self.show_errors(message, [])
            return
        super().accept()

    def _labels(self, names: list[str]) -> str:
        return ", ".join(f"« {field_label(self.field_widgets[n], n)} »" for n in names)

    def _saved_elsewhere(self, exc: StaleRecordError) -> None:
        """Say what the colleague changed; « Recharger » opens their version with this
        form's edits copied into it, to check and save again."""
        fresh = self.reopened()
        opened = self._opened or self.field_states()
        if fresh is None:
            self.show_errors(exc.message, [])
            return
        theirs_now = fresh.field_states()
        theirs = [n for n, state in theirs_now.items() if opened.get(n) != state]
        mine_now = self.field_states()
        mine = [n for n, state in mine_now.items() if opened.get(n) != state]
        changed = self._labels(theirs) if theirs else "aucun des champs de ce formulaire"
        text = f"{exc.message}\n\nChangé sur l'autre poste : {changed}."
        if mine:
            text += (
                f"\n\n« Recharger » ouvre sa version et y reporte vos modifications "
                f"({self._labels(mine)}), à vérifier avant d'enregistrer."
            )
        prompts = self.discard_prompts or Prompts()
        if prompts.choose(self, STALE_TITLE, text, RELOAD_CHOICES) != RELOAD_CHOICES[0]:
            fresh.deleteLater()
            self.show_errors(exc.message, [])
            return
        fresh._opened, fresh._snapshot = theirs_now, form_snapshot(fresh)
        by_hand = [n for n in mine if not copy_field(self.field_widgets[n], fresh.field_widgets[n])]
        notice = "Version enregistrée sur l'autre poste"
        if theirs:
            notice += f" (changé : {self._labels(theirs)})"
        kept = [n for n in mine if n not in by_hand]
        notice += f", avec vos modifications reportées : {self._labels(kept)}." if kept else "."
        if by_hand:
            notice += f" À reprendre à la main : {self._labels(by_hand)}."
        fresh.notice_label.setText(notice)
        fresh.notice_label.show()
        self.hide()
        accepted = prompts.run_dialog(fresh)
        self.saved_id = fresh.saved_id
        self.written_tables = fresh.written_tables
        if accepted:
            super().accept()
        else:
            super().reject()

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
