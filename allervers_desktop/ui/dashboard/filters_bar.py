"""The dashboard's filters: period (typed French dates), course, city, département, group
status, employer; ``changed`` is emitted (debounced by the tab) when one of them changes."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from allervers_desktop.db.models import Course, Employer, Group
from allervers_desktop.formatting import GROUP_STATUS_LABELS
from allervers_desktop.parsing import ParseError
from allervers_desktop.stats.filters import StatsFilter
from allervers_desktop.ui.forms.date_time_fields import DateField

Choices = dict[str, list[tuple[str, object]]]


def read_choices(session: Session) -> Choices:
    """The courses, cities and employers the combo boxes offer (plain data, for a worker)."""
    courses = session.execute(select(Course.id, Course.title).order_by(Course.title)).all()
    cities = session.scalars(select(Group.city).distinct().order_by(Group.city)).all()
    employers = session.execute(
        select(Employer.id, Employer.name, Employer.city).order_by(Employer.name)
    ).all()
    return {
        "course": [(title, course_id) for course_id, title in courses],
        "city": [(city, city) for city in cities if city],
        "employer": [
            (f"{name} ({city})" if city else name, employer_id)
            for employer_id, name, city in employers
        ],
    }


class FiltersBar(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.date_from = DateField(None, self)
        self.date_to = DateField(None, self)
        self.course = QComboBox(self)
        self.city = QComboBox(self)
        self.departement = QLineEdit(self)
        self.departement.setPlaceholderText("ex. 67")
        self.departement.setMaxLength(3)
        digits = self.departement.fontMetrics().horizontalAdvance("0000")
        self.departement.setFixedWidth(digits + 16)
        self.status = QComboBox(self)
        self.status.addItem("Tous", None)
        for value, label in GROUP_STATUS_LABELS.items():
            self.status.addItem(label, value)
        self.employer = QComboBox(self)
        self.employer.setMinimumContentsLength(18)
        self.employer.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.course.setMinimumContentsLength(24)
        self.course.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.clear_button = QPushButton("Effacer les filtres", self)
        self._choices: Choices | None = None
        self.set_choices({"course": [], "city": [], "employer": []})
        # Two lines, so that the tab fits a 1366-pixel screen at 150 %.
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        rows: tuple[tuple[tuple[str, QWidget], ...], ...] = (
            (("Du", self.date_from), ("au", self.date_to), ("Formation", self.course)),
            (
                ("Ville", self.city),
                ("Département", self.departement),
                ("Statut", self.status),
                ("Établissement", self.employer),
            ),
        )
        for row, fields in enumerate(rows):
            line = QHBoxLayout()
            for label, field in fields:
                caption = QLabel(label, self)
                caption.setBuddy(field)
                line.addWidget(caption)
                line.addWidget(field)
            line.addStretch(1)
            layout.addLayout(line, row, 0)
        layout.addWidget(self.clear_button, 1, 1)
        self.date_from.valueChanged.connect(self.changed)
        self.date_to.valueChanged.connect(self.changed)
        self.date_from.edit.editingFinished.connect(self._date_cleared)
        self.date_to.edit.editingFinished.connect(self._date_cleared)
        for combo in (self.course, self.city, self.status, self.employer):
            combo.currentIndexChanged.connect(lambda _index: self.changed.emit())
        self.departement.textChanged.connect(lambda _text: self.changed.emit())
        self.clear_button.clicked.connect(self.clear)

    def set_choices(self, choices: Choices) -> None:
        """Fill the combo boxes, keeping what was chosen (signals held); nothing to do when
        the choices are those already offered (thousands of employers: the usual case)."""
        if choices == self._choices:
            return
        self._choices = choices
        for name, combo in (("course", self.course), ("city", self.city)):
            self._fill(combo, choices[name])
        self._fill(self.employer, choices["employer"])

    def _fill(self, combo: QComboBox, items: list[tuple[str, object]]) -> None:
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("Tous", None)
        for label, value in items:
            combo.addItem(label, value)
        index = combo.findData(chosen) if chosen is not None else 0
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def _date_cleared(self) -> None:
        if not self.date_from.text().strip() or not self.date_to.text().strip():
            self.changed.emit()

    def _date(self, field: DateField) -> object:
        if not field.text().strip():
            return None
        try:
            return field.date()
        except ParseError:
            return None

    def value(self) -> StatsFilter:
        """What the fields say; a date still being typed (unreadable) is left out."""
        departement = self.departement.text().strip().upper()
        return StatsFilter(
            date_from=self._date(self.date_from),  # type: ignore[arg-type]
            date_to=self._date(self.date_to),  # type: ignore[arg-type]
            course_id=self.course.currentData(),
            city=self.city.currentData(),
            departement=departement or None,
            group_status=self.status.currentData(),
            employer_id=self.employer.currentData(),
        )

    def set_departement(self, code: str) -> None:
        self.departement.setText(code)

    def set_employer(self, employer_id: int) -> bool:
        index = self.employer.findData(employer_id)
        if index >= 0:
            self.employer.setCurrentIndex(index)
        return index >= 0

    def clear(self) -> None:
        self.blockSignals(True)
        for field in (self.date_from, self.date_to):
            field.edit.clear()
        for combo in (self.course, self.city, self.status, self.employer):
            combo.setCurrentIndex(0)
        self.departement.clear()
        self.blockSignals(False)
        self.changed.emit()
