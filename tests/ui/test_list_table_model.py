"""The in-memory table model: roles from the column spec, in-place updates, resets."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from allervers_desktop.ui.lazy_table_model import ID_ROLE
from allervers_desktop.ui.list_table_model import SORT_ROLE, Column, ListTableModel


@dataclass(frozen=True)
class Item:
    id: int
    name: str
    count: int


COLUMNS = (
    Column[Item]("Nom", lambda i: i.name, sort_key=lambda i: i.name.lower()),
    Column[Item](
        "Nombre",
        lambda i: str(i.count),
        right_aligned=True,
        tooltip=lambda i: f"{i.count} en tout" if i.count else None,
        colour=lambda i: "#888888" if i.count == 0 else None,
    ),
)


def test_roles_come_from_the_column_spec(qtmodeltester):
    model = ListTableModel(COLUMNS, lambda i: i.id)
    model.set_rows([Item(7, "Bé", 3), Item(9, "al", 0)])
    qtmodeltester.check(model)
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Nombre"
    assert model.index(0, 0).data() == "Bé" and model.index(0, 0).data(ID_ROLE) == 7
    assert model.index(1, 0).data(SORT_ROLE) == "al"
    assert model.index(0, 1).data(SORT_ROLE) == "3"  # no sort key: the text
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == "Bé"
    assert model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole) == "3 en tout"
    assert model.index(1, 1).data(Qt.ItemDataRole.ToolTipRole) is None
    assert model.index(1, 1).data(Qt.ItemDataRole.ForegroundRole) == QColor("#888888")
    assert model.index(0, 1).data(Qt.ItemDataRole.ForegroundRole) is None
    alignment = model.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole)
    assert alignment & int(Qt.AlignmentFlag.AlignRight)
    assert model.row_of(9) == 1 and model.row_of(8) is None and model.row_at(2) is None


def test_same_keys_update_in_place_other_keys_reset(qtbot):
    model = ListTableModel(COLUMNS, lambda i: i.id)
    model.set_rows([Item(1, "a", 1), Item(2, "b", 2)])
    changed: list[tuple[int, int]] = []
    resets: list[bool] = []
    model.dataChanged.connect(
        lambda top, bottom, _roles=(): changed.append((top.row(), bottom.row()))
    )
    model.modelReset.connect(lambda: resets.append(True))
    model.set_rows([Item(1, "a", 1), Item(2, "b", 5)])
    assert changed == [(1, 1)] and resets == []
    assert model.index(1, 1).data() == "5"
    model.set_rows([Item(2, "b", 5)])
    assert resets == [True] and model.rowCount() == 1
