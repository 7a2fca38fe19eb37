"""« Feuilles signées » of a group: one row per day, its scans attached, opened again."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from allervers_desktop.db.database import Database
from allervers_desktop.formatting import PERIOD_LABELS, long_date, short_date
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.services.groups import get_group
from allervers_desktop.services.signed_sheets import (
    SheetInfo,
    attach_sheet,
    days_without_sheet,
    list_sheets,
    read_sheet_file,
    write_sheet_copy,
)
from allervers_desktop.ui.prompts import Prompts
from allervers_desktop.ui.tasks import wait_while_repainting

AnyIndex = QModelIndex | QPersistentModelIndex
SCAN_FILTER = "Scans (*.pdf *.png *.jpg *.jpeg *.tif *.tiff);;Tous les fichiers (*)"
HEADERS = ("Journée", "Demi-journées", "Feuille signée")
TITLE = "Feuilles signées"


def copies_folder() -> Path:
    """Where scans are copied to be opened by the system's viewer."""
    return Path(tempfile.gettempdir()) / "allervers" / "feuilles signées"


class SheetsModel(QAbstractTableModel):
    """Rows: the group's days, with the scans attached to each."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.days: list[tuple[dt.date, str]] = []  # date, half-days
        self.sheets: dict[dt.date, list[SheetInfo]] = {}
        self.missing: set[dt.date] = set()

    def set_data(
        self, days: list[tuple[dt.date, str]], sheets: list[SheetInfo], missing: set[dt.date]
    ) -> None:
        self.beginResetModel()
        self.days = days
        self.sheets = {}
        for sheet in sheets:
            self.sheets.setdefault(sheet.date, []).append(sheet)
        self.missing = missing
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.days)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.days):
            return None
        date, halves = self.days[index.row()]
        sheets = self.sheets.get(date, [])
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return long_date(date)
            if index.column() == 1:
                return halves
            if not sheets:
                return "à joindre (présences saisies)" if date in self.missing else "aucune"
            return ", ".join(f"{sheet.file_name} ({sheet.size_label})" for sheet in sheets)
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 2 and not sheets:
            from PySide6.QtGui import QColor

            return QColor("#b71c1c" if date in self.missing else "#777777")
        if role == Qt.ItemDataRole.ToolTipRole and sheets:
            return "\n".join(
                f"{sheet.file_name} — joint le {sheet.attached_at:%d/%m/%Y %H:%M}"
                for sheet in sheets
            )
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None


class SignedSheetsPanel(QWidget):
    """« Joindre la feuille signée… » and « Ouvrir » for the selected day of a group."""

    def __init__(
        self,
        database: Database,
        prompts: Prompts,
        on_changed: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.prompts = prompts
        self.on_changed = on_changed
        self.group_id: int | None = None
        self.model = SheetsModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("signed_sheets")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.doubleClicked.connect(lambda _index: self.open_selected())
        self.attach_button = QPushButton("Joindre la feuille signée…", self)
        self.attach_button.setObjectName("attach_sheet")
        self.attach_button.setToolTip("Joindre le scan (PDF ou image) de la feuille signée du jour")
        self.attach_button.clicked.connect(self.attach_to_selected)
        self.open_button = QPushButton("Ouvrir", self)
        self.open_button.setObjectName("open_sheet")
        self.open_button.clicked.connect(self.open_selected)
        self.summary = QLabel(self)
        self.summary.setObjectName("sheets_summary")
        bar = QHBoxLayout()
        bar.addWidget(self.attach_button)
        bar.addWidget(self.open_button)
        bar.addStretch(1)
        bar.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()

    def show_group(self, group_id: int | None) -> None:
        self.group_id = group_id
        days: list[tuple[dt.date, str]] = []
        sheets: list[SheetInfo] = []
        missing: set[dt.date] = set()
        if group_id is not None:
            with self.database.session() as session:
                group = get_group(session, group_id)
                days = [
                    (
                        day.date,
                        ", ".join(PERIOD_LABELS[half.period] for half in day.half_days),
                    )
                    for day in sorted(group.days, key=lambda d: d.date)
                ]
                sheets = list_sheets(session, group_id)
                missing = set(days_without_sheet(session, group_id))
        self.model.set_data(days, sheets, missing)
        self.view.resizeColumnsToContents()
        attached = len({sheet.date for sheet in sheets})
        self.summary.setText(
            f"{attached} journée(s) sur {len(days)} avec une feuille signée" if days else ""
        )
        self._update_buttons()

    def selected_date(self) -> dt.date | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.days[rows[0].row()][0]

    def select_date(self, date: dt.date) -> None:
        for row, (day, _halves) in enumerate(self.model.days):
            if day == date:
                self.view.selectRow(row)

    def _update_buttons(self, *_args: Any) -> None:
        date = self.selected_date()
        self.attach_button.setEnabled(date is not None)
        self.open_button.setEnabled(date is not None and bool(self.model.sheets.get(date)))

    def attach_to_selected(self) -> None:
        date = self.selected_date()
        if self.group_id is None or date is None:
            return
        chosen = self.prompts.open_file(
            self, f"Joindre la feuille signée du {short_date(date)}", SCAN_FILTER
        )
        if not chosen:
            return
        path = Path(chosen)
        try:
            content = wait_while_repainting(lambda: read_sheet_file(path))
            with self.database.transaction() as session:
                attach_sheet(session, self.group_id, date, path.name, content)
        except ServiceError as exc:
            self.prompts.error(self, TITLE, exc.message)
            return
        self.show_group(self.group_id)
        self.select_date(date)
        if self.on_changed is not None:
            self.on_changed()

    def open_selected(self) -> list[Path]:
        """Copy the day's scans to a temporary folder and open them; the copies' paths."""
        date = self.selected_date()
        sheets = self.model.sheets.get(date, []) if date is not None else []
        opened: list[Path] = []
        try:
            with self.database.session() as session:
                for sheet in sheets:
                    opened.append(write_sheet_copy(session, sheet.sheet_id, copies_folder()))
        except ServiceError as exc:
            self.prompts.error(self, TITLE, exc.message)
            return []
        for path in opened:
            self.prompts.open_path(path)
        return opened
