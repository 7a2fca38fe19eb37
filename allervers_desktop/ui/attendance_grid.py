"""Attendance grid of a group: a row per participant, a column per half-day, undoable edits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction, QBrush, QColor, QKeyEvent, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from allervers_desktop.db.database import Database
from allervers_desktop.formatting import ATTENDANCE_STATUS_LABELS, decimal_fr
from allervers_desktop.services.attendance import (
    AttendanceGrid,
    CellKey,
    CellState,
    attendance_grid,
    mark_all,
    restore_cell,
)
from allervers_desktop.services.errors import ServiceError

AnyIndex = QModelIndex | QPersistentModelIndex
STATUS_LETTERS = {"present": "P", "absent": "A", "excused": "E", "late": "R"}
LETTER_STATUSES = {letter: status for status, letter in STATUS_LETTERS.items()}
STATUS_COLORS = {
    "present": "#c8e6c9",
    "late": "#fff3c4",
    "excused": "#d6e4f5",
    "absent": "#f8cdcd",
}
CYCLE = (None, "present", "absent", "excused", "late")
FIXED_COLUMNS = 2  # participant, employer; then one per half-day, then the hours


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
            if role == Qt.ItemDataRole.DisplayRole:
                return STATUS_LETTERS.get(state.status or "", "")
            if role == Qt.ItemDataRole.ToolTipRole:
                if state.status is None:
                    return "Non saisi"
                label = ATTENDANCE_STATUS_LABELS[state.status]
                return f"{label} — {state.reason}" if state.reason else label
            if role == Qt.ItemDataRole.BackgroundRole and state.status:
                return QBrush(QColor(STATUS_COLORS[state.status]))
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return Qt.AlignmentFlag.AlignCenter
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                suffix = " (liste d'attente)" if row.enrollment_status == "waitlisted" else ""
                return row.name + suffix
            if column == 1:
                return row.employer
            return (
                f"{decimal_fr(self.grid.hours_attended(row))} / "
                f"{decimal_fr(self.grid.hours_planned)} h"
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
            return f"{column.label}, {column.times_label} ({decimal_fr(column.hours)} h)"
        return None

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


class AttendanceView(QTableView):
    """Keyboard: P/A/E/R set a status, space cycles, Suppr clears; arrows move."""

    def __init__(self, panel: AttendancePanel) -> None:
        super().__init__(panel)
        self.panel = panel

    def _handles(self, event: QKeyEvent) -> bool:
        return event.text().upper() in LETTER_STATUSES or event.key() in (
            Qt.Key.Key_Space,
            Qt.Key.Key_Delete,
            Qt.Key.Key_Backspace,
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
            self.panel.set_selected(LETTER_STATUSES[text])
            return
        if event.key() == Qt.Key.Key_Space:
            self.panel.cycle_current()
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.panel.set_selected(None)
            return
        super().keyPressEvent(event)


class AttendancePanel(QWidget):
    """The grid with its toolbar (« Tous présents », undo/redo) and the group's rate."""

    def __init__(
        self,
        database: Database,
        on_error: Callable[[str], None],
        ask_reason: Callable[[], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.on_error = on_error
        self.ask_reason = ask_reason
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
        legend = QLabel("P présent · A absent · E excusé · R en retard · Suppr efface", self)
        legend.setStyleSheet("color: #666")

        bar = QHBoxLayout()
        bar.addWidget(self.all_present_button)
        bar.addWidget(undo_button)
        bar.addWidget(redo_button)
        bar.addStretch(1)
        bar.addWidget(self.rate_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(legend)

    # --- loading -----------------------------------------------------------------------------
    def show_group(self, group_id: int | None) -> None:
        if group_id != self.group_id:
            self.undo_stack.clear()
        self.group_id = group_id
        grid = None
        if group_id is not None:
            with self.database.session() as session:
                grid = attendance_grid(session, group_id)
        self.model.set_grid(grid)
        self.view.resizeColumnsToContents()
        self.all_present_button.setEnabled(bool(grid and grid.columns and grid.rows))
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

    def set_selected(self, status: str | None, reason: str = "") -> None:
        keys = self.selected_keys()
        if not keys:
            return
        state = CellState(status, reason if status == "excused" else "")
        self.apply({key: state for key in keys}, "Saisie des présences")

    def cycle_current(self) -> None:
        key = self.model.key(self.view.currentIndex())
        if key is None or self.model.grid is None:
            return
        current = self.model.grid.row(key[0]).cell(key[1]).status
        following = CYCLE[(CYCLE.index(current) + 1) % len(CYCLE)]
        self.apply({key: CellState(following)}, "Saisie des présences")

    def apply(self, after: dict[CellKey, CellState], text: str) -> None:
        """Save the new states in one transaction and push the change on the undo stack."""
        before = self.write_states(after)
        if before is not None:
            self.undo_stack.push(SetCellsCommand(self, text, before, after))

    def write_states(self, states: dict[CellKey, CellState]) -> dict[CellKey, CellState] | None:
        """Write states in one transaction; return the previous ones, or None on error."""
        previous: dict[CellKey, CellState] = {}
        try:
            with self.database.transaction() as session:
                for (enrollment_id, half_day_id), state in states.items():
                    previous[(enrollment_id, half_day_id)] = restore_cell(
                        session, enrollment_id, half_day_id, state
                    )
        except ServiceError as exc:
            self.on_error(exc.message)
            return None
        for key, state in states.items():
            self.model.cell_changed(key, state)
        self._update_rate()
        return previous

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
        if not half_day_ids and self.model.grid is not None and self.model.grid.columns:
            half_day_ids = [self.model.grid.columns[0].half_day_id]
        try:
            with self.database.transaction() as session:
                before = mark_all(session, self.group_id, "present", half_day_ids=half_day_ids)
        except ServiceError as exc:
            self.on_error(exc.message)
            return
        after = {key: CellState("present") for key in before}
        for key in before:
            self.model.cell_changed(key, after[key])
        self._update_rate()
        if before:
            self.undo_stack.push(SetCellsCommand(self, "Tous présents", before, after))

    # --- menus ---------------------------------------------------------------------------------
    def _context_menu(self, position: Any) -> None:
        if not self.selected_keys():
            return
        menu = QMenu(self)
        for status, label in ATTENDANCE_STATUS_LABELS.items():
            action = QAction(f"{label}\t{STATUS_LETTERS[status]}", menu)
            action.triggered.connect(lambda _c=False, s=status: self.set_selected(s))
            menu.addAction(action)
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
