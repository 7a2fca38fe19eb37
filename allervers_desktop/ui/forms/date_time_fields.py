"""Date and time fields that take typing in full (« 12032027 », « 8h30 ») and say what is wrong.

Both are line edits over ``allervers_desktop.parsing``: on leaving the field the value is shown
normalised (« 12/03/2027 », « 08:30 »); what is not a date or a time stays as typed, the field is
highlighted and ``problem`` carries the French message (never a silent change)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QWidget,
)

from allervers_desktop.parsing import (
    ParseError,
    format_date_fr,
    format_time_fr,
    parse_date_fr,
    parse_time_fr,
)

FIELD_ERROR_STYLE = "border: 1px solid #c62828;"


class TimeField(QLineEdit):
    """« 8h30 », « 08:30 », « 0830 », « 8h », « 8 » → « 08:30 »."""

    problem = Signal(str)  # French message, or "" once the field reads again
    valueChanged = Signal()

    def __init__(self, value: dt.time | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("hh:mm")
        self.setMaxLength(8)
        self.setMaximumWidth(self.fontMetrics().horizontalAdvance("00:00 h") + 24)
        self._value = value
        if value is not None:
            self.setText(format_time_fr(value))
        self.editingFinished.connect(self.normalise)
        self.textEdited.connect(lambda _text: self._clear_problem())

    def time(self) -> dt.time:
        """The typed time; raises ParseError (French message) when it is not one."""
        return parse_time_fr(self.text())

    def set_time(self, value: dt.time) -> None:
        self.setText(format_time_fr(value))
        self.normalise()

    def normalise(self) -> bool:
        try:
            value = self.time()
        except ParseError as error:
            self._show_problem(error.message)
            return False
        self.setText(format_time_fr(value))
        self._clear_problem()
        if value != self._value:
            self._value = value
            self.valueChanged.emit()
        return True

    def _show_problem(self, message: str) -> None:
        self.setStyleSheet(FIELD_ERROR_STYLE)
        self.setToolTip(message)
        self.problem.emit(message)

    def _clear_problem(self) -> None:
        if self.toolTip():
            self.setStyleSheet("")
            self.setToolTip("")
            self.problem.emit("")


class DateField(QWidget):
    """« 12032027 », « 12/03/2027 », « 12.03.2027 », « 12-03-27 » → « 12/03/2027 »; a button
    opens a calendar. ``minimum``/``maximum`` bound the dates accepted, with a message."""

    problem = Signal(str)
    valueChanged = Signal()

    def __init__(
        self,
        value: dt.date | None,
        parent: QWidget | None = None,
        minimum: dt.date | None = None,
        maximum: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.minimum, self.maximum = minimum, maximum
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("jj/mm/aaaa")
        self.edit.setMaxLength(16)
        self.edit.setMinimumWidth(self.edit.fontMetrics().horizontalAdvance("00/00/00000") + 16)
        self.button = QToolButton(self)
        self.button.setText("▾")
        self.button.setToolTip("Choisir dans le calendrier")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self.open_calendar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.edit)
        self._value = value
        if value is not None:
            self.edit.setText(format_date_fr(value))
        self.edit.editingFinished.connect(self.normalise)
        self.edit.textEdited.connect(lambda _text: self._clear_problem())
        self.calendar: QCalendarWidget | None = None

    def text(self) -> str:
        return self.edit.text()

    def date(self) -> dt.date:
        """The typed date; raises ParseError (French message) when it is not one or out of range."""
        value = parse_date_fr(self.edit.text())
        if self.maximum is not None and value > self.maximum:
            raise ParseError(f"La date ne peut pas être après le {format_date_fr(self.maximum)}.")
        if self.minimum is not None and value < self.minimum:
            raise ParseError(f"La date ne peut pas être avant le {format_date_fr(self.minimum)}.")
        return value

    def set_date(self, value: dt.date) -> None:
        self.edit.setText(format_date_fr(value))
        self.normalise()

    def normalise(self) -> bool:
        try:
            value = self.date()
        except ParseError as error:
            self._show_problem(error.message)
            return False
        self.edit.setText(format_date_fr(value))
        self._clear_problem()
        if value != self._value:
            self._value = value
            self.valueChanged.emit()
        return True

    def open_calendar(self) -> None:
        calendar = QCalendarWidget(self)
        calendar.setWindowFlags(Qt.WindowType.Popup)
        calendar.setObjectName("calendar")
        calendar.setGridVisible(True)
        try:
            current = self.date()
        except ParseError:
            current = self._value or dt.date.today()
        calendar.setSelectedDate(QDate(current.year, current.month, current.day))
        if self.maximum is not None:
            calendar.setMaximumDate(QDate(self.maximum.year, self.maximum.month, self.maximum.day))
        if self.minimum is not None:
            calendar.setMinimumDate(QDate(self.minimum.year, self.minimum.month, self.minimum.day))
        calendar.clicked.connect(self._picked)
        calendar.activated.connect(self._picked)
        calendar.move(self.mapToGlobal(QPoint(0, self.height())))
        self.calendar = calendar
        calendar.show()
        calendar.setFocus()

    def _picked(self, value: QDate) -> None:
        self.set_date(dt.date(value.year(), value.month(), value.day()))
        if self.calendar is not None:
            self.calendar.close()
            self.calendar.deleteLater()
            self.calendar = None
        self.edit.setFocus()

    def _show_problem(self, message: str) -> None:
        self.edit.setStyleSheet(FIELD_ERROR_STYLE)
        self.edit.setToolTip(message)
        self.problem.emit(message)

    def _clear_problem(self) -> None:
        if self.edit.toolTip():
            self.edit.setStyleSheet("")
            self.edit.setToolTip("")
            self.problem.emit("")
