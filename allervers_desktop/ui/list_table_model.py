"""A table model over rows held in memory, described by a column spec (short lists only)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from allervers_desktop.ui.lazy_table_model import ID_ROLE

Row = TypeVar("Row")
AnyIndex = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Column(Generic[Row]):
    """One column: its header, the text of a row, and optionally how it sorts, its tooltip
    (the text itself when None) and its colour (a « #rrggbb » or None for the default)."""

    title: str
    text: Callable[[Row], str]
    sort_key: Callable[[Row], Any] | None = None
    right_aligned: bool = False
    tooltip: Callable[[Row], str | None] | None = None
    colour: Callable[[Row], str | None] | None = None


class ListTableModel(QAbstractTableModel, Generic[Row]):
    """``set_rows`` shows a list; when the rows' keys are unchanged, changed rows are updated
    in place (selection and scroll stay), otherwise the model is reset. ``ID_ROLE`` gives
    ``row_id(row)`` and ``SORT_ROLE`` the column's sort key (for a QSortFilterProxyModel)."""

    def __init__(
        self,
        columns: Sequence[Column[Row]],
        row_id: Callable[[Row], Hashable] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self.row_id = row_id
        self.rows: list[Row] = []

    def set_rows(self, rows: Sequence[Row]) -> None:
        rows = list(rows)
        key = self.row_id
        if key is None or [key(row) for row in rows] != [key(row) for row in self.rows]:
            self.beginResetModel()
            self.rows = rows
            self.endResetModel()
            return
        last = len(self.columns) - 1
        for number, row in enumerate(rows):
            if row != self.rows[number]:
                self.rows[number] = row
                self.dataChanged.emit(self.index(number, 0), self.index(number, last))

    def row_at(self, number: int) -> Row | None:
        return self.rows[number] if 0 <= number < len(self.rows) else None

    def row_of(self, wanted: Hashable) -> int | None:
        """The row number of the row whose ``row_id`` is ``wanted``."""
        if self.row_id is None:
            return None
        return next(
            (number for number, row in enumerate(self.rows) if self.row_id(row) == wanted), None
        )

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None or not 0 <= index.column() < len(self.columns):
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.text(row) if column.tooltip is None else column.tooltip(row)
        if role == ID_ROLE:
            return None if self.row_id is None else self.row_id(row)
        if role == SORT_ROLE:
            return column.text(row) if column.sort_key is None else column.sort_key(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(RIGHT if column.right_aligned else LEFT)
        if role == Qt.ItemDataRole.ForegroundRole and column.colour is not None:
            colour = column.colour(row)
            return QColor(colour) if colour else None
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.columns)
        ):
            return self.columns[section].title
        return None
