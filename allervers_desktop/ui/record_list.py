"""The parts every searchable list shares: its search field and its table's set-up."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTableView, QWidget

from allervers_desktop.ui.lazy_table_model import LazyTableModel


def search_field(parent: QWidget, model: LazyTableModel, placeholder: str) -> QLineEdit:
    """A field whose text searches ``model`` as it is typed (SQL, without case or accents)."""
    field = QLineEdit(parent)
    field.setObjectName("search")
    field.setPlaceholderText(placeholder)
    field.setClearButtonEnabled(True)
    field.textChanged.connect(model.set_search)
    return field


def list_view(parent: QWidget, name: str, model: QAbstractItemModel) -> QTableView:
    """A table over a short list held in memory: one whole row selected at a time,
    alternating colours, no row numbers, the last column stretched."""
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    return view


def set_up_view(view: QTableView, model: LazyTableModel, *, several: bool) -> None:
    """Whole rows selected (``several``: more than one), sorted in SQL, alternating colours,
    no row numbers, the last column stretched."""
    view.setModel(model)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection
        if several
        else QAbstractItemView.SelectionMode.SingleSelection
    )
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
