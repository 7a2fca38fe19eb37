"""Form to create or edit a group: course, place, capacity, days and half-days, trainers."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Group
from allervers_desktop.formatting import GROUP_STATUS_LABELS, hours_fr
from allervers_desktop.parsing import ParseError
from allervers_desktop.presence import hours_between
from allervers_desktop.services.groups import (
    DEFAULT_AM,
    DEFAULT_PM,
    DayData,
    GroupData,
    course_choices,
    course_hours,
    create_group,
    describe_day_moves,
    get_group,
    update_group,
)
from allervers_desktop.services.trainers import trainer_choices
from allervers_desktop.ui.forms.date_time_fields import DateField, TimeField
from allervers_desktop.ui.forms.form_dialog import FormDialog
from allervers_desktop.ui.forms.widgets import choice_combo, line_edit
from allervers_desktop.ui.prompts import Prompts


def _time_edit(parent: QWidget, value: dt.time) -> TimeField:
    return TimeField(value, parent)


def _to_time(edit: TimeField) -> dt.time:
    return edit.time()


WEEKDAYS_FR = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."]


class DayRow(QFrame):
    """One day of the schedule: date, morning and afternoon with their times."""

    def __init__(self, data: DayData, parent: QWidget, *, existing: bool = False) -> None:
        super().__init__(parent)
        # An existing day keeps its identity when its date changes: it is moved, with its
        # attendance, rather than removed and added again.
        self.original_date = data.date if existing else None
        self.date_edit = DateField(data.date, self)
        self.weekday_label = QLabel(self)
        am = data.am or DEFAULT_AM
        pm = data.pm or DEFAULT_PM
        self.am_check = QCheckBox("Matin", self)
        self.am_check.setChecked(data.am is not None)
        self.am_start, self.am_end = _time_edit(self, am[0]), _time_edit(self, am[1])
        self.pm_check = QCheckBox("Après-midi", self)
        self.pm_check.setChecked(data.pm is not None)
        self.pm_start, self.pm_end = _time_edit(self, pm[0]), _time_edit(self, pm[1])
        self.hours_label = QLabel(self)
        self.remove_button = QPushButton("Retirer", self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.date_edit)
        layout.addWidget(self.weekday_label)
        for widget in (
            self.am_check,
            self.am_start,
            QLabel("–"),
            self.am_end,
            self.pm_check,
            self.pm_start,
            QLabel("–"),
            self.pm_end,
        ):
            layout.addWidget(widget)
        layout.addWidget(self.hours_label)
        layout.addStretch(1)
        layout.addWidget(self.remove_button)
        for check in (self.am_check, self.pm_check):
            check.toggled.connect(self._update)
        for edit in (self.am_start, self.am_end, self.pm_start, self.pm_end):
            edit.valueChanged.connect(self._update)
        self.date_edit.valueChanged.connect(self._update)
        self._update()

    def data(self) -> DayData:
        return DayData(
            moved_from=self.original_date,
            date=self.date_edit.date(),
            am=(_to_time(self.am_start), _to_time(self.am_end))
            if self.am_check.isChecked()
            else None,
            pm=(_to_time(self.pm_start), _to_time(self.pm_end))
            if self.pm_check.isChecked()
            else None,
        )

    def hours(self) -> float:
        try:
            data = self.data()
        except ParseError:
            return 0.0
        return sum(hours_between(*times) for times in (data.am, data.pm) if times is not None)

    def _update(self, *_args: object) -> None:
        for check, edits in (
            (self.am_check, (self.am_start, self.am_end)),
            (self.pm_check, (self.pm_start, self.pm_end)),
        ):
            for edit in edits:
                edit.setEnabled(check.isChecked())
        self.hours_label.setText(hours_fr(self.hours()))
        try:
            self.weekday_label.setText(WEEKDAYS_FR[self.date_edit.date().weekday()])
        except ParseError:
            self.weekday_label.setText("")


class GroupForm(FormDialog):
    def __init__(
        self,
        database: Database,
        group_id: int | None,
        parent: QWidget | None = None,
        course_id: int | None = None,
    ) -> None:
        title = "Nouveau groupe" if group_id is None else "Modifier le groupe"
        super().__init__(database, title, parent)
        self.group_id = group_id
        self._conflict_warnings: list[str] = []
        self._reloaded: GroupForm | None = None  # « Recharger » after a colleague's save
        with database.session() as session:
            courses = course_choices(session)
            durations = course_hours(session)
            trainers = trainer_choices(session)
            if group_id is not None:
                group = get_group(session, group_id)
                data = GroupData.from_group(group)
                self.guard(Group, group_id, group.version, "groupe")
            else:
                data = GroupData(
                    course_id=course_id or (courses[0][0] if courses else 0), label="", capacity=15
                )
        form = self.new_form_layout()
        self.course_combo = self.register("course_id", QComboBox(self))
        for cid, label in courses:
            self.course_combo.addItem(label, cid)
        self.course_combo.setCurrentIndex(max(0, self.course_combo.findData(data.course_id)))
        self.label_edit = self.register("label", line_edit(self, data.label, "ex. Groupe 1"))
        self.city_edit = self.register("city", line_edit(self, data.city, "ex. Strasbourg"))
        self.address_edit = self.register("venue_address", QPlainTextEdit(data.venue_address, self))
        self.address_edit.setFixedHeight(52)
        self.status_combo = self.register(
            "status", choice_combo(self, GROUP_STATUS_LABELS, data.status)
        )
        self.capacity_spin = self.register("capacity", QSpinBox(self))
        self.capacity_spin.setRange(0, 1000)
        self.capacity_spin.setSpecialValueText("Illimitée")
        self.capacity_spin.setValue(data.capacity or 0)
        form.addRow("Formation *", self.course_combo)
        form.addRow("Libellé *", self.label_edit)
        form.addRow("Ville", self.city_edit)
        form.addRow("Adresse du lieu", self.address_edit)
        form.addRow("Statut", self.status_combo)
        form.addRow("Capacité", self.capacity_spin)
        self.body.addLayout(form)

        days_box = self.register("days", QGroupBox("Journées et horaires", self))
        days_layout = QVBoxLayout(days_box)
        self.rows_layout = QVBoxLayout()
        days_layout.addLayout(self.rows_layout)
        footer = QHBoxLayout()
        self.add_day_button = QPushButton("Ajouter une journée", days_box)
        self.add_day_button.setObjectName("add_day")
        self.add_day_button.clicked.connect(self.add_next_day)
        self.total_label = QLabel(days_box)
        self.total_label.setObjectName("total_hours")
        footer.addWidget(self.add_day_button)
        footer.addStretch(1)
        footer.addWidget(self.total_label)
        days_layout.addLayout(footer)
        self.body.addWidget(days_box)
        self.day_rows: list[DayRow] = []
        # The courses' durations, to say at once when the schedule differs from them.
        self.course_hours = durations
        self.course_combo.currentIndexChanged.connect(self._update_total)
        for day in data.days:
            self.add_day(day, existing=group_id is not None)

        trainers_box = self.register("trainer_ids", QGroupBox("Intervenants", self))
        trainers_layout = QVBoxLayout(trainers_box)
        self.trainer_model = QStandardItemModel(self)
        for trainer_id, label in trainers:
            item = QStandardItem(label)
            item.setCheckable(True)
            item.setEditable(False)
            item.setData(trainer_id, Qt.ItemDataRole.UserRole)
            checked = trainer_id in data.trainer_ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.trainer_model.appendRow(item)
        self.trainer_view = QListView(trainers_box)
        self.trainer_view.setObjectName("trainers")
        self.trainer_view.setModel(self.trainer_model)
        self.trainer_view.setMaximumHeight(110)
        trainers_layout.addWidget(self.trainer_view)
        self.body.addWidget(trainers_box)
        self.notes_edit = self.register("notes", QPlainTextEdit(data.notes, self))
        self.notes_edit.setPlaceholderText("Notes")
        self.notes_edit.setFixedHeight(50)
        self.body.addWidget(self.notes_edit)
        self._update_total()
        self.resize(820, 0)

    def add_day(self, day: DayData, *, existing: bool = False) -> DayRow:
        row = DayRow(day, self, existing=existing)
        row.remove_button.clicked.connect(lambda: self._remove_day(row))
        for edit in (row.am_start, row.am_end, row.pm_start, row.pm_end):
            edit.valueChanged.connect(self._update_total)
        row.date_edit.valueChanged.connect(self._update_total)
        for check in (row.am_check, row.pm_check):
            check.toggled.connect(self._update_total)
        self.day_rows.append(row)
        self.rows_layout.addWidget(row)
        self._update_total()
        return row

    def add_next_day(self) -> DayRow:
        """Add the day after the last one (skipping the week-end), with default times."""
        if self.day_rows:
            dates = []
            for existing in self.day_rows:
                try:
                    dates.append(existing.date_edit.date())
                except ParseError:
                    continue
            last = max(dates) if dates else dt.date.today()
            following = last + dt.timedelta(days=1)
            while following.weekday() >= 5:
                following += dt.timedelta(days=1)
        else:
            following = dt.date.today()
        return self.add_day(DayData(following))

    def _remove_day(self, row: DayRow) -> None:
        row.hide()
        self.day_rows.remove(row)
        row.deleteLater()
        self._update_total()

    def _update_total(self, *_args: object) -> None:
        total = sum(row.hours() for row in self.day_rows)
        count = len(self.day_rows)
        text = f"{count} journée{'s' if count > 1 else ''} — {hours_fr(total)} au total"
        hours: dict[int, float] = getattr(self, "course_hours", {})  # not yet while building
        expected = hours.get(self.course_combo.currentData())
        differs = count > 0 and expected is not None and abs(total - expected) > 0.01
        if differs and expected is not None:
            text += f" (la formation en prévoit {hours_fr(expected)})"
        self.total_label.setText(text)
        self.total_label.setStyleSheet("color: #8a4b00; font-weight: bold" if differs else "")

    def accept(self) -> None:
        """Moving a day that holds attendance takes it along: the user confirms first."""
        if self.group_id is not None:
            try:
                days = [row.data() for row in self.day_rows]
            except ParseError:
                days = []  # the save says which date is wrong
            with self.database.session() as session:
                moves = describe_day_moves(session, self.group_id, days)
            if moves:
                prompts = self.discard_prompts or Prompts()
                if not prompts.confirm(
                    self,
                    "Déplacer des journées",
                    "Déplacer ces journées avec leurs présences ?",
                    "\n".join(moves),
                ):
                    return
        super().accept()

    def checked_trainer_ids(self) -> list[int]:
        ids = []
        for row in range(self.trainer_model.rowCount()):
            item = self.trainer_model.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                ids.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return ids

    def reopened(self) -> GroupForm | None:
        if self.group_id is None:
            return None
        fresh = GroupForm(self.database, self.group_id, self.parentWidget())
        self._reloaded = fresh  # if saved from there, its warnings are this form's
        return fresh

    @property
    def conflict_warnings(self) -> list[str]:
        """What the save found: a trainer or the venue taken at the same time elsewhere."""
        if self._reloaded is not None:
            return self._reloaded.conflict_warnings
        return self._conflict_warnings

    def data(self) -> GroupData:
        return GroupData(
            course_id=self.course_combo.currentData() or 0,
            label=self.label_edit.text(),
            city=self.city_edit.text(),
            venue_address=self.address_edit.toPlainText(),
            status=self.status_combo.currentData(),
            capacity=self.capacity_spin.value() or None,
            notes=self.notes_edit.toPlainText(),
            days=[row.data() for row in self.day_rows],
            trainer_ids=self.checked_trainer_ids(),
        )

    def save(self, session: Session) -> int:
        from allervers_desktop.services.conflicts import group_conflict_warnings

        if self.group_id is None:
            saved = create_group(session, self.data()).id
        else:
            saved = update_group(session, self.group_id, self.data()).id
        # Read in the save's transaction; shown after it, without blocking it.
        self._conflict_warnings = group_conflict_warnings(session, saved)
        return saved
