"""« Feuilles signées » of a group: one row per day, its scans attached, opened again."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
from allervers_desktop.ui.list_table_model import Column, ListTableModel
from allervers_desktop.ui.operations import attempt
from allervers_desktop.ui.prompts import Prompts
from allervers_desktop.ui.tasks import wait_while_repainting

SCAN_FILTER = "Scans (*.pdf *.png *.jpg *.jpeg *.tif *.tiff);;Tous les fichiers (*)"
TITLE = "Feuilles signées"


def copies_folder() -> Path:
    """Where scans are copied to be opened by the system's viewer."""
    return Path(tempfile.gettempdir()) / "allervers" / "feuilles signées"


@dataclass(frozen=True)
class DayRow:
    """One day of the group: its half-days, the scans attached, whether one is expected."""

    date: dt.date
    halves: str
    sheets: tuple[SheetInfo, ...]
    missing: bool  # attendance recorded, no scan yet


def _sheets_text(row: DayRow) -> str:
    if not row.sheets:
        return "à joindre (présences saisies)" if row.missing else "aucune"
    return ", ".join(f"{sheet.file_name} ({sheet.size_label})" for sheet in row.sheets)


def _sheets_tip(row: DayRow) -> str | None:
    if not row.sheets:
        return None
    return "\n".join(
        f"{sheet.file_name} — joint le {sheet.attached_at:%d/%m/%Y %H:%M}" for sheet in row.sheets
    )


def _sheets_colour(row: DayRow) -> str | None:
    if row.sheets:
        return None
    return "#b71c1c" if row.missing else "#777777"


def sheets_model(parent: QWidget | None = None) -> ListTableModel[DayRow]:
    """Rows: the group's days, with the scans attached to each."""
    return ListTableModel(
        (
            Column[DayRow]("Journée", lambda row: long_date(row.date), tooltip=_sheets_tip),
            Column[DayRow]("Demi-journées", lambda row: row.halves, tooltip=_sheets_tip),
            Column[DayRow](
                "Feuille signée", _sheets_text, tooltip=_sheets_tip, colour=_sheets_colour
            ),
        ),
        lambda row: row.date,
        parent,
    )


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
        self.model = sheets_model(self)
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
        rows: list[DayRow] = []
        if group_id is not None:
            with self.database.session() as session:
                group = get_group(session, group_id)
                sheets = list_sheets(session, group_id)
                missing = set(days_without_sheet(session, group_id))
                rows = [
                    DayRow(
                        day.date,
                        ", ".join(PERIOD_LABELS[half.period] for half in day.half_days),
                        tuple(sheet for sheet in sheets if sheet.date == day.date),
                        day.date in missing,
                    )
                    for day in sorted(group.days, key=lambda d: d.date)
                ]
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        attached = sum(1 for row in rows if row.sheets)
        self.summary.setText(
            f"{attached} journée(s) sur {len(rows)} avec une feuille signée" if rows else ""
        )
        self._update_buttons()

    def selected_date(self) -> dt.date | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        row = self.model.row_at(rows[0].row())
        return row.date if row is not None else None

    def select_date(self, date: dt.date) -> None:
        number = self.model.row_of(date)
        if number is not None:
            self.view.selectRow(number)

    def _sheets_of(self, date: dt.date | None) -> tuple[SheetInfo, ...]:
        number = self.model.row_of(date) if date is not None else None
        row = self.model.row_at(number) if number is not None else None
        return row.sheets if row is not None else ()

    def _update_buttons(self, *_args: Any) -> None:
        date = self.selected_date()
        self.attach_button.setEnabled(date is not None)
        self.open_button.setEnabled(bool(self._sheets_of(date)))

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
        except ServiceError as exc:
            self.prompts.error(self, TITLE, exc.message)
            return
        group_id = self.group_id
        if (
            attempt(
                self.database,
                lambda session: attach_sheet(session, group_id, date, path.name, content),
                lambda message: self.prompts.error(self, TITLE, message),
            )
            is None
        ):
            return
        self.show_group(self.group_id)
        self.select_date(date)
        if self.on_changed is not None:
            self.on_changed()

    def open_selected(self) -> list[Path]:
        """Copy the day's scans to a temporary folder and open them; the copies' paths."""
        date = self.selected_date()
        sheets = self._sheets_of(date)
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
