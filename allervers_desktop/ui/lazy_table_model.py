"""A read-only table model over a SQL query, fetched in batches as the view scrolls."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from sqlalchemy import ColumnElement, Select, SQLColumnExpression, and_, func, select

from allervers_desktop.db.database import Database
from allervers_desktop.text import search_terms

ID_ROLE = Qt.ItemDataRole.UserRole + 1
COUNT_DELAY_MS = 250
AnyIndex = QModelIndex | QPersistentModelIndex
AnySelect = Select[*tuple[Any, ...]]


@dataclass(frozen=True)
class Column:
    """A column: its header, how to sort it in SQL, and its alignment."""

    header: str
    sort_key: SQLColumnExpression[Any] | None = None
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class LazyTableModel(QAbstractTableModel):
    """Rows come from ``query()`` filtered by ``search_column`` and sorted in SQL.

    Subclasses define ``columns``, ``query()`` returning a select whose first column is
    the row id, ``search_column`` and ``display(row)`` turning a result row into cells.
    """

    BATCH_SIZE = 200
    countChanged = Signal(int)

    columns: Sequence[Column] = ()
    search_column: SQLColumnExpression[str] | None = None
    default_sort: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder)

    def __init__(self, database: Database, parent: Any = None) -> None:
        super().__init__(parent)
        self._database = database
        self._rows: list[tuple[int, list[str], Any]] = []
        self._exhausted = True
        self._terms: list[str] = []
        self._sort_column, self._sort_order = self.default_sort
        self._total: int | None = None
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        # The count is a full scan with a search: wait until typing pauses.
        self._count_timer.setInterval(COUNT_DELAY_MS)
        self._count_timer.timeout.connect(self._update_count)
        self._loaded = False

    # --- what subclasses provide -------------------------------------------------------
    def query(self) -> AnySelect:
        raise NotImplementedError

    def display(self, row: Any) -> list[str]:
        raise NotImplementedError

    def count_query(self) -> AnySelect:
        """The query counted for the total; may skip joins that only serve the display."""
        return self.query()

    def extra_filter(self) -> ColumnElement[bool] | None:
        """A filter besides the search terms (e.g. only one group's participants)."""
        return None

    # --- Qt model API --------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row_id, cells, raw = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return cells[index.column()]
        if role == ID_ROLE:
            return row_id
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.columns[index.column()].align
        return self.extra_data(raw, index.column(), role)

    def extra_data(self, raw: Any, column: int, role: int) -> Any:
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.columns)
        ):
            return self.columns[section].header
        return None

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted:
            return
        batch = self._fetch(len(self._rows))
        if not batch:
            self._exhausted = True
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(batch) - 1)
        self._rows.extend(batch)
        self._exhausted = len(batch) < self.BATCH_SIZE
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns) or self.columns[column].sort_key is None:
            return
        self._sort_column, self._sort_order = column, order
        if self._loaded:
            self.reload()

    # --- loading -----------------------------------------------------------------------------
    def set_search(self, text: str) -> None:
        """Filter as the user types; nothing is re-run when the terms did not change."""
        terms = search_terms(text)
        if terms != self._terms or not self._loaded:
            self._terms = terms
            self.reload()

    def load(self, search_text: str = "") -> None:
        """Run the query with this search, even if it is unchanged (fresh data)."""
        self._terms = search_terms(search_text)
        self.reload()

    def reload(self) -> None:
        """Run the query again from the first row (after a search, a sort or an edit)."""
        self.beginResetModel()
        self._rows = self._fetch(0)
        self._exhausted = len(self._rows) < self.BATCH_SIZE
        self._loaded = True
        self.endResetModel()
        if self._exhausted:
            self._count_timer.stop()
            self._update_count()
        else:
            self._total = None
            self._count_timer.start()

    def refresh_row(self, row_id: int) -> None:
        """Re-read one row after an edit, in place."""
        for position, (existing_id, _cells, _raw) in enumerate(self._rows):
            if existing_id == row_id:
                fresh = self._fetch_ids([row_id])
                if fresh:
                    self._rows[position] = fresh[0]
                    self.dataChanged.emit(
                        self.index(position, 0), self.index(position, len(self.columns) - 1)
                    )
                return

    def row_of(self, row_id: int) -> int | None:
        for position, (existing_id, _cells, _raw) in enumerate(self._rows):
            if existing_id == row_id:
                return position
        return None

    def id_at(self, row: int) -> int | None:
        return self._rows[row][0] if 0 <= row < len(self._rows) else None

    @property
    def total(self) -> int | None:
        """Number of matching rows, computed just after the first batch is shown."""
        return self._total

    def _filtered(self, base: AnySelect | None = None) -> AnySelect:
        stmt = self.query() if base is None else base
        conditions: list[ColumnElement[bool]] = []
        if self.search_column is not None:
            conditions.extend(
                self.search_column.contains(term, autoescape=True) for term in self._terms
            )
        extra = self.extra_filter()
        if extra is not None:
            conditions.append(extra)
        if conditions:
            stmt = stmt.where(and_(*conditions))
        return stmt

    def _ordered(self, stmt: AnySelect) -> AnySelect:
        key = self.columns[self._sort_column].sort_key
        if key is None:
            return stmt
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        id_column = stmt.selected_columns[0]
        if descending:
            return stmt.order_by(key.desc(), id_column.desc())
        return stmt.order_by(key.asc(), id_column.asc())

    def _fetch(self, offset: int) -> list[tuple[int, list[str], Any]]:
        stmt = self._ordered(self._filtered()).offset(offset).limit(self.BATCH_SIZE)
        with self._database.session() as session:
            rows = session.execute(stmt).all()
        return [(row[0], self.display(row), row) for row in rows]

    def _fetch_ids(self, ids: list[int]) -> list[tuple[int, list[str], Any]]:
        stmt = self.query()
        stmt = stmt.where(stmt.selected_columns[0].in_(ids))
        with self._database.session() as session:
            rows = session.execute(stmt).all()
        return [(row[0], self.display(row), row) for row in rows]

    def _update_count(self) -> None:
        if self._exhausted:
            self._total = len(self._rows)
        else:
            counted = self._filtered(self.count_query()).order_by(None).subquery()
            with self._database.session() as session:
                self._total = session.scalar(select(func.count()).select_from(counted)) or 0
        self.countChanged.emit(self._total)
