"""Attendance grid of a group: a row per participant, a column per half-day, undoable edits.

Keyboard first: P, A, E set a status and move down to the next participant; R asks the arrival
time (« en retard ») and D the departure time (« parti(e) plus tôt ») in a small field over the
cell, where « 920 », « 9h20 » or « 9:20 » is typed, Enter validates (and moves down) and Escape
cancels. The participants' names stay frozen on the left while the half-days scroll. Half-days
that have not started are greyed and refuse input; a locked attendance is read-only until
« Déverrouiller… ». Every panel showing a group reloads when another one changes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QFocusEvent,
    QKeyEvent,
    QResizeEvent,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from allervers_desktop.db.database import Database
from allervers_desktop.formatting import (
    ATTENDANCE_STATUS_LABELS,
    day_month,
    duration_fr,
    hours_fr,
    parse_time,
    spoken_time,
)
from allervers_desktop.services.attendance import (
    AttendanceGrid,
    CellKey,
    CellState,
    attendance_grid,
    check_times,
    mark_all,
    not_started_message,
    restore_cell,
)
from allervers_desktop.services.attendance_lock import unlock_attendance
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.services.groups import get_group
from allervers_desktop.services.teaching import (
    half_day_trainers,
    has_own_trainers,
    set_half_day_trainers,
)
from allervers_desktop.ui.operations import attempt

AnyIndex = QModelIndex | QPersistentModelIndex
STATUS_LETTERS = {"present": "P", "absent": "A", "excused": "E", "late": "R"}
LETTER_STATUSES = {"P": "present", "A": "absent", "E": "excused"}  # R and D ask a time
TIME_KEYS = {"R": "arrived", "D": "left"}
STATUS_COLORS = {
    "present": "#c8e6c9",
    "late": "#fff3c4",
    "excused": "#d6e4f5",
    "absent": "#f8cdcd",
}
PARTIAL_COLOR = "#ffd08a"  # late or left early: part of the half-day only
NOT_STARTED_COLOR = "#ececec"
CYCLE = (None, "present", "absent", "excused")
FIXED_COLUMNS = 2  # participant, employer; then one per half-day, then the hours
NAME_MAX_WIDTH = 240
EMPLOYER_MAX_WIDTH = 320  # shortened (elided) to the room left; the full name is in the tooltip
ALL_PRESENT_FILL = "Ne remplir que les cases vides"
ALL_PRESENT_REPLACE = "Les remplacer par « présent »"


class AttendanceEvents(QObject):
    """Says which group's attendance changed, and which panel changed it."""

    changed = Signal(int, object)


_events: AttendanceEvents | None = None


def attendance_events() -> AttendanceEvents:
    """The one notifier every attendance panel listens to (created with the first panel)."""
    global _events
    if _events is None:
        _events = AttendanceEvents()
    return _events


def short_clock(value: dt.time) -> str:
    """« 9:20 »."""
    return f"{value.hour}:{value.minute:02d}"


def cell_text(state: CellState) -> str:
    """« P », « R 9:20 », « P →11:00 », « R 9:20→11:00 »."""
    text = STATUS_LETTERS.get(state.status or "", "")
    if state.arrived_at is not None:
        text += f" {short_clock(state.arrived_at)}"
    if state.left_at is not None:
        text += ("" if state.arrived_at else " ") + f"→{short_clock(state.left_at)}"
    return text


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{round(rate * 100)} %"


class AttendanceModel(QAbstractTableModel):
    """Plain-data model over an AttendanceGrid; edits go through ``write``."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.grid: AttendanceGrid | None = None

    def set_grid(self, grid: AttendanceGrid | None) -> None:
        self.beginResetModel()
        self.grid = grid
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.grid is None else len(self.grid.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self.grid is None:
            return 0
        return FIXED_COLUMNS + len(self.grid.columns) + 1

    def half_day_id(self, column: int) -> int | None:
        if self.grid is None:
            return None
        position = column - FIXED_COLUMNS
        if 0 <= position < len(self.grid.columns):
            return self.grid.columns[position].half_day_id
        return None

    def key(self, index: AnyIndex) -> CellKey | None:
        half_day_id = self.half_day_id(index.column())
        if self.grid is None or half_day_id is None or not index.isValid():
            return None
        return (self.grid.rows[index.row()].enrollment_id, half_day_id)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.grid is None or not index.isValid():
            return None
        row = self.grid.rows[index.row()]
        column = index.column()
        half_day_id = self.half_day_id(column)
        if half_day_id is not None:
            state = row.cell(half_day_id)
            half = self.grid.column(half_day_id)
            is_open = self.grid.is_open(half_day_id)
            if role == Qt.ItemDataRole.DisplayRole:
                return cell_text(state)
            if role == Qt.ItemDataRole.ToolTipRole:
                return self._tooltip(state, half_day_id)
            if role == Qt.ItemDataRole.BackgroundRole:
                if not is_open:
                    return QBrush(QColor(NOT_STARTED_COLOR))
                if state.is_partial:
                    return QBrush(QColor(PARTIAL_COLOR))
                if state.status:
                    return QBrush(QColor(STATUS_COLORS[state.status]))
                return None
            if role == Qt.ItemDataRole.ForegroundRole and not is_open:
                return QBrush(QColor("#8a8a8a"))
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return Qt.AlignmentFlag.AlignCenter
            if role == Qt.ItemDataRole.UserRole:
                return half.attended_minutes(state)
            return None
        if role == Qt.ItemDataRole.ToolTipRole and column in (0, 1):
            return f"{row.name} — {row.employer}" if row.employer else row.name
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                suffix = " (liste d'attente)" if row.enrollment_status == "waitlisted" else ""
                return row.name + suffix
            if column == 1:
                return row.employer
            return (
                f"{hours_fr(self.grid.hours_attended(row))} / {hours_fr(self.grid.hours_planned)}"
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 1:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if self.grid is None or orientation != Qt.Orientation.Horizontal:
            return None
        half_day_id = self.half_day_id(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if section == 0:
                return "Participant"
            if section == 1:
                return "Établissement"
            if half_day_id is None:
                return "Heures réalisées"
            column = self.grid.column(half_day_id)
            return f"{column.label}\n{percent(self.grid.half_day_rate(half_day_id))}"
        if role == Qt.ItemDataRole.ToolTipRole and half_day_id is not None:
            column = self.grid.column(half_day_id)
            text = f"{column.label}, {column.times_label} ({duration_fr(column.minutes)})"
            if not self.grid.is_open(half_day_id):
                text += " — à venir"
            return text
        return None

    def _tooltip(self, state: CellState, half_day_id: int) -> str:
        assert self.grid is not None
        half = self.grid.column(half_day_id)
        if not self.grid.is_open(half_day_id):
            return (
                f"Demi-journée à venir : la présence se saisit à partir du "
                f"{day_month(half.date)} à {spoken_time(half.start_time)}."
            )
        text = state.label
        if state.counts:
            text += (
                f"\n{duration_fr(half.attended_minutes(state))} suivie(s) "
                f"sur {duration_fr(half.minutes)}"
            )
        if self.grid.locked:
            text += "\nVerrouillé"
        return text

    def cell_changed(self, key: CellKey, state: CellState) -> None:
        """Reflect a saved change in the grid and repaint the row, its hours and the header."""
        if self.grid is None:
            return
        enrollment_id, half_day_id = key
        self.grid.apply(enrollment_id, half_day_id, state)
        row = next(i for i, r in enumerate(self.grid.rows) if r.enrollment_id == enrollment_id)
        last = self.columnCount() - 1
        self.dataChanged.emit(self.index(row, FIXED_COLUMNS), self.index(row, last))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, FIXED_COLUMNS, last)


class SetCellsCommand(QUndoCommand):
    """Undoable change of one or several cells; redo writes ``after``, undo writes ``before``."""

    def __init__(
        self,
        panel: AttendancePanel,
        text: str,
        before: dict[CellKey, CellState],
        after: dict[CellKey, CellState],
    ) -> None:
        super().__init__(text)
        self.panel = panel
        self.before = before
        self.after = after
        self.first_redo_done = True  # the change is already saved when pushed

    def redo(self) -> None:
        if self.first_redo_done:
            self.first_redo_done = False
            return
        self.panel.write_states(self.after)

    def undo(self) -> None:
        self.panel.write_states(self.before)


class TimeEntry(QLineEdit):
    """A small field over a cell to type a time: Enter validates, Escape (or leaving) cancels."""

    def __init__(
        self,
        parent: QWidget,
        on_time: Callable[[dt.time], bool],
        on_close: Callable[[], None],
    ) -> None:
        super().__init__(parent)
        self.setObjectName("time_entry")
        self.on_time = on_time
        self.on_close = on_close
        self.closed = False
        self.returnPressed.connect(self._validate)

    def _validate(self) -> None:
        value = parse_time(self.text())
        if value is None:
            self.setStyleSheet("border: 2px solid #c62828;")
            self.setToolTip(f"Heure illisible : « {self.text()} » (par exemple 920, 9h20, 9:20).")
            return
        if self.on_time(value):
            self.close_entry()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close_entry()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        # A message box about a refused time, or another window, does not cancel the entry;
        # clicking or tabbing elsewhere in the window does.
        kept = (Qt.FocusReason.PopupFocusReason, Qt.FocusReason.ActiveWindowFocusReason)
        if not self.closed and event.reason() not in kept:
            self.close_entry()

    def close_entry(self) -> None:
        if self.closed:
            return
        self.closed = True
        # The grid takes the focus back first: hiding the focused field would pass the focus
        # on as a Tab does, moving the grid's current cell sideways.
        self.on_close()
        self.hide()
        self.deleteLater()


class AttendanceView(QTableView):
    """Keyboard: P/A/E set a status, R/D ask a time, space cycles, Suppr clears; arrows move.

    The names column is frozen: a second view over the same model (and the same selection),
    laid over the first column, scrolls vertically with the grid but never sideways."""

    def __init__(self, panel: AttendancePanel) -> None:
        super().__init__(panel)
        self.panel = panel
        self.names = QTableView(self)
        self.names.setObjectName("attendance_names")
        self.names.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.names.verticalHeader().hide()
        self.names.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.names.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.names.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.names.setStyleSheet("QTableView { border: none; }")
        self.names.setWordWrap(False)
        self.setWordWrap(False)  # a long employer is elided; the whole name is in the tooltip
        self.employer_width = EMPLOYER_MAX_WIDTH
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.viewport().stackUnder(self.names)
        self.names.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.verticalScrollBar().valueChanged.connect(self.names.verticalScrollBar().setValue)
        self.horizontalHeader().sectionResized.connect(self._section_resized)
        self.names.clicked.connect(self._name_clicked)

    def setModel(self, model: Any) -> None:
        super().setModel(model)
        self.names.setModel(model)
        self.names.setSelectionModel(self.selectionModel())
        self.names.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        model.modelReset.connect(self.sync_names)
        self.sync_names()

    def sync_names(self) -> None:
        """Only the names in the frozen view, as wide as the grid's first column."""
        model = self.model()
        for column in range(model.columnCount()):
            self.names.setColumnHidden(column, column != 0)
        self.names.setColumnWidth(0, self.columnWidth(0))
        self._place_names()

    def _section_resized(self, section: int, _old: int, new: int) -> None:
        if section == 0:
            self.names.setColumnWidth(0, new)
            self._place_names()

    def _name_clicked(self, index: QModelIndex) -> None:
        column = self.currentIndex().column()
        target = self.model().index(index.row(), max(column, FIXED_COLUMNS))
        self.setCurrentIndex(target)
        self.setFocus()

    def _place_names(self) -> None:
        frame = self.frameWidth()
        self.names.horizontalHeader().setFixedHeight(self.horizontalHeader().height())
        for row in range(self.model().rowCount() if self.model() else 0):
            self.names.setRowHeight(row, self.rowHeight(row))
        self.names.setGeometry(
            frame,
            frame,
            self.columnWidth(0),
            self.viewport().height() + self.horizontalHeader().height(),
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_employer_column()
        self._place_names()

    def updateGeometries(self) -> None:
        super().updateGeometries()
        if hasattr(self, "names"):
            self._place_names()

    def scrollTo(
        self,
        index: AnyIndex,
        hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible,
    ) -> None:
        """Scroll as usual, then sideways so that the cell is not hidden under the names."""
        super().scrollTo(index, hint)
        if index.isValid() and index.column() > 0:
            left = self.visualRect(index).left()
            hidden = self.columnWidth(0) - left
            if hidden > 0:
                bar = self.horizontalScrollBar()
                bar.setValue(bar.value() - hidden)

    def half_day_columns(self) -> list[int]:
        """The view's columns that hold a half-day."""
        grid = self.panel.model.grid
        return [FIXED_COLUMNS + i for i in range(len(grid.columns))] if grid else []

    def fit_columns(self) -> None:
        """Contents widths, names and employer capped; no room: the employer (in the names'
        tooltip) is hidden so that every half-day stays in sight."""
        model = self.model()
        if model.columnCount() == 0:
            return
        self.resizeColumnsToContents()
        self.setColumnWidth(0, min(self.columnWidth(0) + 8, NAME_MAX_WIDTH))
        self.employer_width = min(self.columnWidth(1), EMPLOYER_MAX_WIDTH)
        self._update_employer_column()
        self.sync_names()

    def _update_employer_column(self) -> None:
        model = self.model()
        if model.columnCount() <= 1:
            return
        others = sum(self.columnWidth(c) for c in range(model.columnCount()) if c != 1)
        room = self.viewport().width() - others
        hidden = room < min(self.employer_width, 90)
        self.setColumnHidden(1, hidden)
        if not hidden:
            self.setColumnWidth(1, min(self.employer_width, room))

    def _handles(self, event: QKeyEvent) -> bool:
        letter = event.text().upper()
        return (
            letter in LETTER_STATUSES
            or letter in TIME_KEYS
            or event.key()
            in (
                Qt.Key.Key_Space,
                Qt.Key.Key_Delete,
                Qt.Key.Key_Backspace,
            )
        )

    def event(self, event: QEvent) -> bool:
        # Keep Suppr and the letters for the grid, not the window's menu shortcuts.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self._handles(event)
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text().upper()
        if text in LETTER_STATUSES:
            single = len(self.panel.selected_keys()) == 1
            if self.panel.set_selected(LETTER_STATUSES[text]) and single:
                self.move_down()
            return
        if text in TIME_KEYS:
            self.panel.ask_time(TIME_KEYS[text])
            return
        if event.key() == Qt.Key.Key_Space:
            self.panel.cycle_current()
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.panel.set_selected(None)
            return
        super().keyPressEvent(event)

    def move_down(self) -> None:
        """To the same half-day of the next participant (stays on the last one)."""
        index = self.currentIndex()
        if index.isValid() and index.row() + 1 < self.model().rowCount():
            self.setCurrentIndex(self.model().index(index.row() + 1, index.column()))


class AttendancePanel(QWidget):
    """The grid with its toolbar (« Tous présents », undo/redo) and the group's rate."""

    def __init__(
        self,
        database: Database,
        on_error: Callable[[str], None],
        ask_reason: Callable[[], str | None],
        parent: QWidget | None = None,
        *,
        ask_unlock_reason: Callable[[], str | None] | None = None,
        run_dialog: Callable[[QDialog], bool] | None = None,
        on_changed: Callable[[], None] | None = None,
        ask_choice: Callable[[str, list[str]], str | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.on_error = on_error
        self.ask_reason = ask_reason
        # « Tous présents » over recorded absences: asked (text, choices); None = cancelled.
        # Without it, only the empty cells are filled.
        self.ask_choice = ask_choice
        self.ask_unlock_reason = ask_unlock_reason
        self.run_dialog = run_dialog or (lambda dialog: dialog.exec() == 1)
        self.on_changed = on_changed
        self.time_entry: TimeEntry | None = None
        self._reload_after_entry = False  # a change came while a time was being typed
        self.group_id: int | None = None
        self.undo_stack = QUndoStack(self)
        self.model = AttendanceModel(self)
        self.view = AttendanceView(self)
        self.view.setObjectName("attendance")
        self.view.setModel(self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)

        self.all_present_button = QPushButton("Tous présents", self)
        self.all_present_button.setObjectName("all_present")
        self.all_present_button.setToolTip(
            "Marquer présents tous les inscrits sur la demi-journée sélectionnée"
        )
        self.all_present_button.clicked.connect(self.all_present_current_half_day)
        self.undo_action = self.undo_stack.createUndoAction(self, "Annuler")
        self.undo_action.setShortcut("Ctrl+Z")
        self.redo_action = self.undo_stack.createRedoAction(self, "Rétablir")
        self.redo_action.setShortcut("Ctrl+Y")
        self.addAction(self.undo_action)
        self.addAction(self.redo_action)
        undo_button = QPushButton("Annuler", self)
        undo_button.clicked.connect(self.undo_stack.undo)
        self.undo_stack.canUndoChanged.connect(undo_button.setEnabled)
        redo_button = QPushButton("Rétablir", self)
        redo_button.clicked.connect(self.undo_stack.redo)
        self.undo_stack.canRedoChanged.connect(redo_button.setEnabled)
        undo_button.setEnabled(False)
        redo_button.setEnabled(False)
        self.rate_label = QLabel(self)
        self.rate_label.setObjectName("group_rate")
        self.lock_label = QLabel("🔒 Verrouillé", self)
        self.lock_label.setObjectName("lock_state")
        self.lock_label.setStyleSheet("color: #8a4b00; font-weight: bold")
        self.unlock_button = QPushButton("Déverrouiller…", self)
        self.unlock_button.setObjectName("unlock")
        self.unlock_button.clicked.connect(self.unlock)
        self.trainers_button = QPushButton("Intervenants…", self)
        self.trainers_button.setObjectName("half_day_trainers")
        self.trainers_button.setToolTip("Qui intervient sur la demi-journée sélectionnée")
        self.trainers_button.clicked.connect(self.edit_trainers_current_half_day)
        legend = QLabel(
            "P présent · A absent · E excusé · R en retard (heure d'arrivée) · "
            "D parti(e) plus tôt (heure de départ) · Suppr efface · en gris : à venir",
            self,
        )
        legend.setStyleSheet("color: #666")

        bar = QHBoxLayout()
        bar.addWidget(self.all_present_button)
        bar.addWidget(undo_button)
        bar.addWidget(redo_button)
        bar.addWidget(self.trainers_button)
        bar.addStretch(1)
        bar.addWidget(self.lock_label)
        bar.addWidget(self.unlock_button)
        bar.addWidget(self.rate_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(legend)
        self.bar = bar
        attendance_events().changed.connect(self._changed_elsewhere)

    def _changed_elsewhere(self, group_id: int, source: object) -> None:
        """Another panel (the session view, the tab) changed this group's attendance (of the
        same database: a window opened earlier on another one is not concerned)."""
        same_data = getattr(source, "database", None) is self.database
        if source is not self and same_data and group_id == self.group_id:
            if self.time_entry is not None:  # a time being typed: the grid reloads after it
                self._reload_after_entry = True
                return
            self.show_group(group_id)

    def notify_changed(self) -> None:
        if self.group_id is not None:
            attendance_events().changed.emit(self.group_id, self)

    # --- loading -----------------------------------------------------------------------------
    def show_group(self, group_id: int | None) -> None:
        if group_id != self.group_id:
            self.undo_stack.clear()
        self.group_id = group_id
        grid = None
        if group_id is not None:
            with self.database.session() as session:
                grid = attendance_grid(session, group_id)
        current = self.view.currentIndex()
        same_group = (
            self.model.grid is not None
            and grid is not None
            and (self.model.grid.group_id == grid.group_id)
        )
        self.model.set_grid(grid)
        if same_group and current.isValid():  # a reload keeps the cell the user was on
            self.view.setCurrentIndex(self.model.index(current.row(), current.column()))
        self.view.fit_columns()
        locked = bool(grid and grid.locked)
        self.all_present_button.setEnabled(bool(grid and grid.columns and grid.rows) and not locked)
        self.trainers_button.setEnabled(bool(grid and grid.columns))
        self.lock_label.setVisible(locked)
        self.lock_label.setToolTip(grid.locked_reason if grid else "")
        self.unlock_button.setVisible(locked)
        self._update_rate()

    def _update_rate(self) -> None:
        grid = self.model.grid
        if grid is None:
            self.rate_label.clear()
            return
        self.rate_label.setText(f"Taux de présence du groupe : {percent(grid.group_rate())}")

    # --- editing -----------------------------------------------------------------------------
    def selected_keys(self) -> list[CellKey]:
        keys = {self.model.key(index) for index in self.view.selectionModel().selectedIndexes()}
        current = self.model.key(self.view.currentIndex())
        if not keys - {None} and current is not None:
            keys = {current}
        return sorted(key for key in keys if key is not None)

    def editable_keys(self) -> list[CellKey]:
        """The selected cells that can be changed; says why when none can."""
        grid = self.model.grid
        keys = self.selected_keys()
        if grid is None or not keys:
            return []
        if grid.locked:
            self.on_error(grid.locked_reason)
            return []
        open_keys = [key for key in keys if grid.is_open(key[1])]
        if not open_keys:
            half = grid.column(keys[0][1])
            self.on_error(not_started_message(half.date, half.period, half.start_time))
        return open_keys

    def set_selected(self, status: str | None, reason: str = "") -> bool:
        """Set the selected cells; True when saved."""
        keys = self.editable_keys()
        if not keys:
            return False
        state = CellState(status, reason if status == "excused" else "")
        return self.apply({key: state for key in keys}, "Saisie des présences")

    def cycle_current(self) -> None:
        key = self.model.key(self.view.currentIndex())
        if key is None or self.model.grid is None or key not in self.editable_keys():
            return
        current = self.model.grid.row(key[0]).cell(key[1]).status
        position = CYCLE.index(current) if current in CYCLE else 0
        following = CYCLE[(position + 1) % len(CYCLE)]
        self.apply({key: CellState(following)}, "Saisie des présences")

    def ask_time(self, which: str) -> None:
        """Open the time field over the current cell: ``arrived`` (late) or ``left`` (early)."""
        keys = self.editable_keys()
        index = self.view.currentIndex()
        if not keys or not index.isValid():
            return
        if self.time_entry is not None:
            self.time_entry.close_entry()
        entry = TimeEntry(
            self.view.viewport(),
            lambda value: self._apply_time(keys, which, value),
            self._time_entry_closed,
        )
        entry.setPlaceholderText("arrivée" if which == "arrived" else "départ")
        entry.setToolTip("Heure d'arrivée (en retard)" if which == "arrived" else "Heure de départ")
        rect = self.view.visualRect(index)
        entry.setGeometry(rect.x(), rect.y(), max(rect.width(), 70), max(rect.height(), 24))
        self.time_entry = entry
        entry.show()
        entry.setFocus()

    def _time_entry_closed(self) -> None:
        self.time_entry = None
        self.view.setFocus()
        if self._reload_after_entry:
            self._reload_after_entry = False
            QTimer.singleShot(0, lambda: self.show_group(self.group_id))

    def _apply_time(self, keys: list[CellKey], which: str, value: dt.time) -> bool:
        """Late from ``value`` (arrived) or left at ``value``; False (field kept) if refused."""
        grid = self.model.grid
        assert grid is not None
        after: dict[CellKey, CellState] = {}
        for enrollment_id, half_day_id in keys:
            state = grid.row(enrollment_id).cell(half_day_id)
            half = grid.column(half_day_id)
            if which == "arrived":
                left = state.left_at if state.counts else None
                new = CellState("late", "", value, left)
            else:
                status = "late" if state.status == "late" else "present"
                new = CellState(status, "", state.arrived_at if status == "late" else None, value)
            try:
                check_times(
                    new.status or "", half.start_time, half.end_time, new.arrived_at, new.left_at
                )
            except ServiceError as exc:
                self.on_error(exc.message)
                return False
            after[(enrollment_id, half_day_id)] = new
        saved = self.apply(after, "Heure d'arrivée" if which == "arrived" else "Heure de départ")
        if saved and len(keys) == 1:
            self.view.move_down()
        return True

    def apply(self, after: dict[CellKey, CellState], text: str) -> bool:
        """Save the new states in one transaction and push the change on the undo stack."""
        before = self.write_states(after)
        if before is None:
            return False
        self.undo_stack.push(SetCellsCommand(self, text, before, after))
        return True

    def write_states(self, states: dict[CellKey, CellState]) -> dict[CellKey, CellState] | None:
        """Write states in one transaction; return the previous ones, or None on error."""
        previous: dict[CellKey, CellState] = {}

        def work(session: Session) -> None:
            for (enrollment_id, half_day_id), state in states.items():
                previous[(enrollment_id, half_day_id)] = restore_cell(
                    session, enrollment_id, half_day_id, state
                )

        if attempt(self.database, work, self.on_error) is None:
            return None
        for key, state in states.items():
            self.model.cell_changed(key, state)
        self._update_rate()
        self.notify_changed()
        return previous

    def unlock(self) -> None:
        """« Déverrouiller… »: asks the reason, records it (with who and when), reloads."""
        if self.group_id is None or self.ask_unlock_reason is None:
            return
        reason = self.ask_unlock_reason()
        if reason is None:
            return
        group_id = self.group_id
        if (
            attempt(self.database, lambda s: unlock_attendance(s, group_id, reason), self.on_error)
            is None
        ):
            return
        self.show_group(self.group_id)
        self.notify_changed()
        if self.on_changed is not None:
            self.on_changed()

    def edit_trainers_current_half_day(self) -> None:
        """Choose who taught the current half-day among the group's trainers."""
        grid = self.model.grid
        half_day_id = self.model.half_day_id(self.view.currentIndex().column())
        if grid is None or self.group_id is None or not grid.columns:
            return
        if half_day_id is None:
            half_day_id = grid.columns[0].half_day_id
        with self.database.session() as session:
            choices = [(t.id, t.full_name) for t in get_group(session, self.group_id).trainers]
            current = {t.id for t in half_day_trainers(session, self.group_id)[half_day_id]}
            own = has_own_trainers(session, half_day_id)
        if not choices:
            self.on_error("Ce groupe n'a aucun intervenant : ajoutez-en dans la fiche du groupe.")
            return
        column = grid.column(half_day_id)
        dialog = HalfDayTrainersDialog(column.label, choices, current if own else set(), self)
        if not self.run_dialog(dialog):
            return
        chosen = dialog.chosen()
        if (
            attempt(
                self.database,
                lambda s: set_half_day_trainers(s, half_day_id, chosen),
                self.on_error,
            )
            is None
        ):
            return
        if self.on_changed is not None:
            self.on_changed()

    def all_present_current_half_day(self) -> None:
        if self.group_id is None:
            return
        half_day_ids = sorted(
            {
                half_day_id
                for index in [
                    *self.view.selectionModel().selectedIndexes(),
                    self.view.currentIndex(),
                ]
                if (half_day_id := self.model.half_day_id(index.column())) is not None
            }
        )
        grid = self.model.grid
        if grid is not None and grid.locked:
            self.on_error(grid.locked_reason)
            return
        if not half_day_ids and grid is not None and grid.columns:
            half_day_ids = [grid.columns[0].half_day_id]
        only_empty = True
        recorded = self.recorded_other_than_present(half_day_ids)
        if recorded and self.ask_choice is not None:
            what = (
                "1 absence ou retard est déjà saisi(e)"
                if recorded == 1
                else f"{recorded} absences ou retards sont déjà saisis"
            )
            answer = self.ask_choice(
                f"{what} sur cette demi-journée. « Tous présents » peut ne remplir que les cases "
                "vides et les conserver, ou les remplacer par « présent ».",
                [ALL_PRESENT_FILL, ALL_PRESENT_REPLACE, "Annuler"],
            )
            if answer not in (ALL_PRESENT_FILL, ALL_PRESENT_REPLACE):
                return
            only_empty = answer == ALL_PRESENT_FILL
        group_id = self.group_id
        done = attempt(
            self.database,
            lambda s: mark_all(
                s, group_id, "present", half_day_ids=half_day_ids, only_empty=only_empty
            ),
            self.on_error,
        )
        if done is None:
            return
        before = done.value
        after = {key: CellState("present") for key in before}
        for key in before:
            self.model.cell_changed(key, after[key])
        self._update_rate()
        if before:
            self.undo_stack.push(SetCellsCommand(self, "Tous présents", before, after))
            self.notify_changed()

    def recorded_other_than_present(self, half_day_ids: list[int]) -> int:
        """Cells of these half-days that « Tous présents » could overwrite: an absence, an
        excuse or a late arrival (a presence with its departure time is always kept)."""
        grid = self.model.grid
        if grid is None:
            return 0
        return sum(
            1
            for row in grid.rows
            if row.enrollment_status != "waitlisted"
            for half_day_id in half_day_ids
            if row.cell(half_day_id).status not in (None, "present")
        )

    # --- menus ---------------------------------------------------------------------------------
    def _context_menu(self, position: Any) -> None:
        if not self.selected_keys():
            return
        menu = QMenu(self)
        for status, label in ATTENDANCE_STATUS_LABELS.items():
            if status == "late":
                action = QAction(f"{label}, heure d'arrivée…\tR", menu)
                action.triggered.connect(lambda: self.ask_time("arrived"))
            else:
                action = QAction(f"{label}\t{STATUS_LETTERS[status]}", menu)
                action.triggered.connect(lambda _c=False, s=status: self.set_selected(s))
            menu.addAction(action)
        left = menu.addAction("Parti(e) plus tôt, heure de départ…\tD")
        left.triggered.connect(lambda: self.ask_time("left"))
        reason_action = menu.addAction("Excusé, avec un motif…")
        reason_action.triggered.connect(self.excuse_with_reason)
        menu.addSeparator()
        clear = menu.addAction("Effacer\tSuppr")
        clear.triggered.connect(lambda: self.set_selected(None))
        menu.exec(self.view.viewport().mapToGlobal(position))

    def excuse_with_reason(self) -> None:
        reason = self.ask_reason()
        if reason is not None:
            self.set_selected("excused", reason)


class HalfDayTrainersDialog(QDialog):
    """Who taught a half-day: one box per trainer of the group; none checked means all."""

    def __init__(
        self,
        label: str,
        choices: list[tuple[int, str]],
        checked: set[int],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Intervenants – {label}")
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                f"Intervenant(e)s de la demi-journée {label} "
                "(aucun coché : tous les intervenants du groupe) :",
                self,
            )
        )
        self.boxes: list[tuple[int, QCheckBox]] = []
        for trainer_id, name in choices:
            box = QCheckBox(name, self)
            box.setChecked(trainer_id in checked)
            layout.addWidget(box)
            self.boxes.append((trainer_id, box))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Enregistrer")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def chosen(self) -> list[int]:
        return [trainer_id for trainer_id, box in self.boxes if box.isChecked()]
